import type { Connection, mongo } from 'mongoose';
import type { Logger } from '../logger';
import type { EmbeddedStoreStatus, SupervisedFerretDb } from './supervisor';
import type { Clock } from '../clock';

export interface StoreHealthStatus {
  up: boolean;
  /** Why it is down: the embedded process is not running, or the driver sees no writable server. */
  reason: string | null;
  /** When `up` last changed. */
  since: Date;
  /** The embedded FerretDB's supervisor state; absent with MONGODB_URI. */
  embedded: Pick<EmbeddedStoreStatus, 'state' | 'restarts' | 'pid'> | null;
}

/**
 * Whether the document store can be reached right now, known without waiting on a timeout: the API
 * answers 503 at once while it is down, readiness reports it, the job worker pauses.
 *
 * Fed by two sources. The embedded store's supervisor knows the instant its process dies. The driver's
 * topology events cover MongoDB (no child process): a failed heartbeat or a network error on any
 * operation marks the server unknown, and with no writable server left the store counts as down. While
 * down, a ping every `probeEveryMs` asks the driver to check again, so recovery is seen within about a
 * second instead of at the next regular heartbeat.
 */
export interface StoreHealth {
  isUp(): boolean;
  status(): StoreHealthStatus;
  /** Called with the new value whenever `isUp()` changes. Returns the unsubscribe function. */
  onChange(listener: (up: boolean) => void): () => void;
  close(): void;
}

export function createStoreHealth(deps: {
  connection: Connection;
  log: Logger;
  supervisor?: SupervisedFerretDb | null;
  probeEveryMs?: number;
  clock?: Clock;
}): StoreHealth {
  const { connection, log, supervisor } = deps;
  const clock = deps.clock ?? (() => new Date());
  const probeEveryMs = deps.probeEveryMs ?? 250;
  let driverUp = true;
  let up = true;
  let since = clock();
  let watched: mongo.MongoClient | null = null;
  let probing = false;
  let closed = false;
  const listeners = new Set<(up: boolean) => void>();

  const embeddedUp = () => !supervisor || supervisor.status().state === 'up';

  function reason(): string | null {
    if (!embeddedUp()) return `embedded FerretDB is ${supervisor!.status().state}`;
    if (!driverUp) return 'no reachable document store server';
    return null;
  }

  function update(): void {
    const next = embeddedUp() && driverUp;
    if (next !== up) {
      const downMs = clock().getTime() - since.getTime();
      up = next;
      since = clock();
      if (up) log.info({ downMs }, 'document store reachable again');
      else log.error({ reason: reason() }, 'document store unreachable; API requests answer 503');
      for (const listener of listeners) {
        try {
          listener(up);
        } catch (err) {
          log.error({ err }, 'store health listener failed');
        }
      }
    }
    if (!up) void probe();
  }

  function onTopology(event: mongo.TopologyDescriptionChangedEvent): void {
    driverUp = [...event.newDescription.servers.values()].some((server) => server.isWritable);
    update();
  }

  /** Follows the driver's client (a new one after a reconnect to another port). */
  function watchClient(): void {
    let client: mongo.MongoClient;
    try {
      client = connection.getClient();
    } catch {
      return;
    }
    if (client === watched) return;
    watched?.off('topologyDescriptionChanged', onTopology);
    watched = client;
    client.on('topologyDescriptionChanged', onTopology);
  }

  /** Pings until the store answers; each ping makes the driver re-check its servers at once. */
  async function probe(): Promise<void> {
    if (probing || closed) return;
    probing = true;
    try {
      while (!up && !closed) {
        if (embeddedUp()) {
          try {
            watchClient();
            await connection.getClient().db('admin').command({ ping: 1 });
            driverUp = true;
            update();
            continue;
          } catch {
            // still down; the next round tries again
          }
        }
        await new Promise((resolve) => setTimeout(resolve, probeEveryMs));
      }
    } finally {
      probing = false;
    }
  }

  watchClient();
  connection.on('open', watchClient);
  // A restarted process leaves the driver's pooled connections dead: count the store down until a ping
  // has gone through the new process (the failed ones clear the pool).
  const offSupervisor = supervisor?.onChange((s) => {
    if (s.state !== 'up') driverUp = false;
    update();
  });

  return {
    isUp: () => up,
    status: () => {
      const embedded = supervisor?.status();
      return {
        up,
        reason: reason(),
        since,
        embedded: embedded ? { state: embedded.state, restarts: embedded.restarts, pid: embedded.pid } : null,
      };
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      closed = true;
      offSupervisor?.();
      connection.off('open', watchClient);
      watched?.off('topologyDescriptionChanged', onTopology);
      listeners.clear();
    },
  };
}
