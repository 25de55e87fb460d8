import type { InteractionType } from '../types';

/**
 * What the event store keeps: interactions the engine learns from, searches (shown back in the profile),
 * and two controls that travel in the same ordered stream — `link` (an anonymous visitor logged in as
 * `to`) and `reset` (the actor asked to be forgotten). Short keys: a million of these are stored.
 */
export type StoredEventType = InteractionType | 'search' | 'link' | 'reset';

export interface StoredEvent {
  /** Actor: `usr_…` for accounts, `anon_…` for visitors. */
  a: string;
  t: StoredEventType;
  /** Epoch ms, UTC. */
  at: number;
  /** Product id (interactions). */
  i?: string;
  /** Search text (searches, and clicks on a search result). */
  q?: string;
  /** The account an anonymous actor became (`link`). */
  to?: string;
  /** How many results a search found (analytics counts searches with none). */
  n?: number;
}

/**
 * One flush of one process: the events it accepted (after dedupe) in arrival order. `_id` is
 * `<node>:<seq>` with `seq` counting 1, 2, 3… per process, so another process reads the next page by
 * `_id` alone — the one lookup FerretDB 1.24 pushes down to SQLite.
 */
export interface EventPage {
  _id: string;
  node: string;
  seq: number;
  at: Date;
  events: StoredEvent[];
}

export type NodeState = 'loading' | 'ready' | 'stopped';

/** A process that serves recommendations, as every other process and the admin status see it. */
export interface NodeDoc {
  _id: string;
  host: string;
  pid: number;
  startedAt: Date;
  heartbeatAt: Date;
  /** The last page this process wrote, and the day bucket holding it. */
  lastSeq: number;
  lastDay: string | null;
  /** The rebuild generation its engine was loaded for. */
  generation: number;
  state: NodeState;
  /** 0…1 while loading. */
  progress: number;
  phase: string;
  loadedEvents: number;
  loadMs: number | null;
  loadedAt: Date | null;
  items: number;
  actors: number;
  events: number;
  /** Events waiting to be written, and events dropped because the buffer was full. */
  buffered: number;
  dropped: number;
  /** The process's resident set and V8 heap in use, bytes. */
  rss: number;
  heapUsed: number;
}

export interface RebuildControl {
  _id: 'rebuild';
  generation: number;
  requestedAt: Date;
  jobId: string | null;
}
