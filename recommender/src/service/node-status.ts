import { hostname } from 'node:os';
import type { CoreServices, Logger } from '@market/core';
import { isLive } from './jobs';
import type { EventStore } from './store';
import type { NodeDoc, NodeState } from './types';

export interface NodeStatus {
  id: string;
  host: string;
  pid: number;
  live: boolean;
  state: NodeState;
  phase: string;
  progress: number;
  generation: number;
  heartbeatAt: string;
  loadedAt: string | null;
  loadMs: number | null;
  loadedEvents: number;
  items: number;
  actors: number;
  events: number;
  buffered: number;
  dropped: number;
  lastSeq: number;
  rss: number;
  heapUsed: number;
}

export interface RecsStatus {
  thisNode: string;
  retentionDays: number;
  cache: 'memory' | 'redis';
  generation: number;
  nodes: NodeStatus[];
  rebuild: {
    jobId: string | null;
    requestedAt: string | null;
    status: string | null;
    result: unknown;
    lastError: string | null;
  };
}

/** The counters a node document carries about the engine and the write buffer at the time of writing. */
export interface NodeCounters {
  items: number;
  actors: number;
  events: number;
  buffered: number;
  dropped: number;
}

/** This process's node document as it starts: loading, nothing written yet. */
export function newNodeDoc(nodeId: string): NodeDoc {
  return {
    _id: nodeId,
    host: hostname(),
    pid: process.pid,
    startedAt: new Date(),
    heartbeatAt: new Date(),
    lastSeq: 0,
    lastDay: null,
    generation: 0,
    state: 'loading',
    progress: 0,
    phase: 'starting',
    loadedEvents: 0,
    loadMs: null,
    loadedAt: null,
    items: 0,
    actors: 0,
    events: 0,
    buffered: 0,
    dropped: 0,
    rss: 0,
    heapUsed: 0,
  };
}

/**
 * Writes this process's node document (the heartbeat other processes tail by and the admin status
 * reads). Every write goes through one chain, whole document at a time: FerretDB applies an update by
 * rewriting the document, so two concurrent partial updates could undo each other (a lost `lastSeq` would
 * hide a page from the other processes). Writes asked for while one is queued join it.
 */
export function createNodeReporter(deps: {
  store: EventStore;
  log: Logger;
  node: NodeDoc;
  /** Read when the write runs, so the document carries the counters of that moment. */
  counters: () => NodeCounters;
}) {
  const { store, log, node } = deps;
  let nodeWrite: Promise<void> = Promise.resolve();
  let nodeWriteQueued = false;

  function save(): Promise<void> {
    if (nodeWriteQueued) return nodeWrite;
    nodeWriteQueued = true;
    nodeWrite = nodeWrite.then(async () => {
      nodeWriteQueued = false;
      const memory = process.memoryUsage();
      Object.assign(node, {
        rss: memory.rss,
        heapUsed: memory.heapUsed,
        heartbeatAt: new Date(),
        ...deps.counters(),
      });
      await store
        .saveNode({ ...node })
        .catch((err: unknown) => log.warn({ err }, 'recs: node status not saved'));
    });
    return nodeWrite;
  }

  return { node, save };
}

export type NodeReporter = ReturnType<typeof createNodeReporter>;

function nodeStatusOf(n: NodeDoc, tailMs: number, now: number): NodeStatus {
  return {
    id: n._id,
    host: n.host,
    pid: n.pid,
    live: isLive(n, tailMs, now),
    state: n.state,
    phase: n.phase,
    progress: n.progress,
    generation: n.generation,
    heartbeatAt: new Date(n.heartbeatAt).toISOString(),
    loadedAt: n.loadedAt ? new Date(n.loadedAt).toISOString() : null,
    loadMs: n.loadMs,
    loadedEvents: n.loadedEvents,
    items: n.items,
    actors: n.actors,
    events: n.events,
    buffered: n.buffered,
    dropped: n.dropped,
    lastSeq: n.lastSeq,
    rss: n.rss ?? 0,
    heapUsed: n.heapUsed ?? 0,
  };
}

/** Every serving process as the admin sees it, with the last rebuild request and its job. */
export async function readRecsStatus(deps: {
  store: EventStore;
  queue: CoreServices['queue'];
  thisNode: string;
  retentionDays: number;
  tailMs: number;
  cache: RecsStatus['cache'];
}): Promise<RecsStatus> {
  const { store, tailMs } = deps;
  const [nodes, rebuild] = await Promise.all([store.listNodes(), store.rebuildControl()]);
  const job = rebuild?.jobId ? await deps.queue.get(rebuild.jobId) : null;
  const now = Date.now();
  return {
    thisNode: deps.thisNode,
    retentionDays: deps.retentionDays,
    cache: deps.cache,
    generation: rebuild?.generation ?? 0,
    nodes: nodes.sort((a, b) => a._id.localeCompare(b._id)).map((n) => nodeStatusOf(n, tailMs, now)),
    rebuild: {
      jobId: rebuild?.jobId ?? null,
      requestedAt: rebuild ? new Date(rebuild.requestedAt).toISOString() : null,
      status: job?.status ?? null,
      result: job?.result ?? null,
      lastError: job?.lastError ?? null,
    },
  };
}
