import type { Logger } from '../logger';
import { startFerretDb, StorePortTakenError, type EmbeddedFerretDb } from './ferretdb';
import type { Clock } from '../clock';

/**
 * `up`: FerretDB runs. `down`: it exited and the next start waits for its backoff. `restarting`: a new
 * process is starting. `stopped`: the app stopped it.
 */
export type EmbeddedStoreState = 'up' | 'down' | 'restarting' | 'stopped';

export interface EmbeddedStoreStatus {
  state: EmbeddedStoreState;
  /** Restarts after an unexpected exit since the app started. */
  restarts: number;
  uri: string;
  pid: number | null;
  /** When the state last changed. */
  since: Date;
  lastExit: { code: number | string; at: Date } | null;
}

export interface SupervisorOptions {
  binary: string;
  dataDir: string;
  log: Logger;
  /** First delay before a restart; doubles while restarts fail or the process keeps dying young. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** A process that ran at least this long before dying restarts after `initialBackoffMs` again. */
  stableAfterMs?: number;
  /** Restarts tried on the old port when it is taken, before moving to a new one. */
  portAttempts?: number;
  /** Called when a restart had to move to another port (the URI changed). */
  onUriChange?: (uri: string) => Promise<void> | void;
  clock?: Clock;
}

export interface SupervisedFerretDb {
  /** The current `mongodb://` URI (the same across restarts unless the port had to change). */
  readonly uri: string;
  status(): EmbeddedStoreStatus;
  /** Called on every state change. Returns the unsubscribe function. */
  onChange(listener: (status: EmbeddedStoreStatus) => void): () => void;
  /** Stops FerretDB for good (no restart follows) and waits for it to exit. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Runs the embedded FerretDB and keeps it running: when the process exits without being asked to (a
 * crash, an OOM kill, `kill -9`), the exit is logged at error level and a new process starts on the same
 * data folder and the same loopback port, so the app's driver reconnects by itself and `npm run
 * workers` keeps the URI it read. Restarts back off exponentially up to a cap, so a store that cannot
 * start (disk full, corrupt file) is retried without a busy loop. If the old port was taken meanwhile,
 * a few attempts later the store moves to a free port and `onUriChange` tells the app.
 *
 * Every process it starts gets its own stdin pipe (see `startFerretDb`), so none outlives the app.
 */
export async function superviseFerretDb(opts: SupervisorOptions): Promise<SupervisedFerretDb> {
  const { log } = opts;
  const clock = opts.clock ?? (() => new Date());
  const initialBackoffMs = opts.initialBackoffMs ?? 250;
  const maxBackoffMs = opts.maxBackoffMs ?? 10_000;
  const stableAfterMs = opts.stableAfterMs ?? 30_000;
  const portAttempts = opts.portAttempts ?? 3;

  let current: EmbeddedFerretDb = await startFerretDb(opts);
  let startedAt = clock().getTime();
  let uri = current.uri;
  let state: EmbeddedStoreState = 'up';
  let since = clock();
  let restarts = 0;
  let lastExit: EmbeddedStoreStatus['lastExit'] = null;
  let backoffMs = initialBackoffMs;
  let stopping = false;
  let restarting: Promise<void> | null = null;
  const wakeUp = new AbortController();
  const listeners = new Set<(status: EmbeddedStoreStatus) => void>();

  const status = (): EmbeddedStoreStatus => ({
    state,
    restarts,
    uri,
    pid: state === 'up' ? current.pid : null,
    since,
    lastExit,
  });

  function setState(next: EmbeddedStoreState): void {
    if (next === state) return;
    state = next;
    since = clock();
    const snapshot = status();
    for (const listener of listeners) {
      try {
        listener(snapshot);
      } catch (err) {
        log.error({ err }, 'embedded store state listener failed');
      }
    }
  }

  function watch(proc: EmbeddedFerretDb): void {
    void proc.exited.then((code) => {
      if (stopping || proc !== current) return;
      const at = clock();
      lastExit = { code, at };
      const livedMs = at.getTime() - startedAt;
      if (livedMs >= stableAfterMs) backoffMs = initialBackoffMs;
      log.error(
        { code, pid: proc.pid, livedMs, restartInMs: backoffMs, restarts },
        'embedded FerretDB exited unexpectedly; the API answers 503 until it is back',
      );
      setState('down');
      restarting = restartLoop(at.getTime()).finally(() => (restarting = null));
    });
  }

  function pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wakeUp.signal.removeEventListener('abort', done);
        resolve();
      }
      wakeUp.signal.addEventListener('abort', done);
    });
  }

  async function restartLoop(downAt: number): Promise<void> {
    let portTaken = 0;
    const port = Number(new URL(uri).port);
    for (let attempt = 1; !stopping; attempt++) {
      await pause(backoffMs);
      if (stopping) return;
      backoffMs = Math.min(maxBackoffMs, backoffMs * 2);
      setState('restarting');
      const onNewPort = portTaken >= portAttempts;
      try {
        const next = await startFerretDb({ ...opts, port: onNewPort ? 0 : port });
        if (stopping) {
          await next.stop();
          return;
        }
        current = next;
        startedAt = clock().getTime();
        restarts++;
        const moved = next.uri !== uri;
        if (moved) log.warn({ oldUri: uri, uri: next.uri }, 'embedded FerretDB moved to a new port');
        uri = next.uri;
        log.info(
          { pid: next.pid, attempt, restarts, downMs: clock().getTime() - downAt },
          'embedded FerretDB restarted on the same data',
        );
        setState('up');
        watch(next);
        // Not awaited: reconnecting the app's driver is the app's business, and must not hold up the
        // supervisor (the store counts as reachable only once a ping goes through, store-health.ts).
        if (moved)
          void Promise.resolve()
            .then(() => opts.onUriChange?.(uri))
            .catch((err: unknown) => log.error({ err }, 'reconnecting to the moved store failed'));
        return;
      } catch (err) {
        if (err instanceof StorePortTakenError) portTaken++;
        log.error({ err, attempt, retryInMs: backoffMs }, 'embedded FerretDB failed to restart');
        setState('down');
      }
    }
  }

  watch(current);

  return {
    get uri() {
      return uri;
    },
    status,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async stop() {
      stopping = true;
      wakeUp.abort();
      await restarting;
      await current.stop();
      setState('stopped');
    },
  };
}
