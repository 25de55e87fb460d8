import type { Logger } from '@market/core';
import { dayOf } from './buckets';
import type { EventStore, KeyVerdict } from './store';
import type { EventPage, StoredEvent } from './types';

/** An event on its way to the store, with the key that makes a repeat of it a duplicate. */
export interface PendingEvent {
  event: StoredEvent;
  /** Unique per event: `c:<actor>:<client id>`, `p:<order>:<item>`, `w:<actor>:<type>:<subject>:<slot>`… */
  key: string;
  /** Same actor + type + subject within the window counts once (null: no window, e.g. controls). */
  windowKey: string | null;
}

export interface RecorderOptions {
  /** Events of one actor, type and subject closer than this are one event. */
  windowMs: number;
  /** Events held in memory at most; beyond, new events are dropped (and counted) rather than block. */
  maxBuffered: number;
  /** Events per page (per insertMany). */
  batchSize: number;
  /** How long the first event of a burst waits for company before a flush. */
  flushDelayMs: number;
  /** Pause after a failed write before trying again. */
  retryDelayMs: number;
}

const DEFAULTS: RecorderOptions = {
  windowMs: 10 * 60_000,
  maxBuffered: 100_000,
  batchSize: 1000,
  flushDelayMs: 50,
  retryDelayMs: 1000,
};

/** Remembered window keys beyond which the oldest are forgotten (the store's keys still dedupe). */
const MAX_WINDOW_KEYS = 200_000;

/**
 * The write side of the event store for one process. `offer` only touches memory, so recording an event
 * never slows the request that produced it; a background chain then claims the dedupe keys (one unordered
 * insertMany per day), writes the accepted events as this process's next page, and hands the page to
 * `onPage` — which applies it to the local engine and advances the node's `lastSeq`. Pages are written
 * strictly in order: page n + 1 is not started until page n is stored, so a reader that finds page n
 * knows every earlier page exists.
 */
export function createRecorder(deps: {
  store: EventStore;
  nodeId: string;
  log: Logger;
  onPage: (page: EventPage) => Promise<void>;
  options?: Partial<RecorderOptions>;
}) {
  const options = { ...DEFAULTS, ...deps.options };
  const { store, nodeId, log } = deps;
  const pending: PendingEvent[] = [];
  const lastSeen = new Map<string, number>();
  /** Events per actor offered and not yet applied (or found to be repeats): read-your-writes. */
  const inFlight = new Map<string, number>();
  const settle = (actor: string) => {
    const left = (inFlight.get(actor) ?? 1) - 1;
    if (left > 0) inFlight.set(actor, left);
    else inFlight.delete(actor);
  };
  let unwritten: EventPage | null = null;
  let seq = 0;
  let dropped = 0;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let stopped = false;
  let lastDropWarning = 0;

  function withinWindow(windowKey: string, at: number): boolean {
    const previous = lastSeen.get(windowKey);
    if (previous !== undefined && Math.abs(at - previous) < options.windowMs) return true;
    lastSeen.delete(windowKey);
    lastSeen.set(windowKey, at);
    if (lastSeen.size > MAX_WINDOW_KEYS) {
      let excess = lastSeen.size - MAX_WINDOW_KEYS * 0.75;
      for (const key of lastSeen.keys()) {
        if (excess-- <= 0) break;
        lastSeen.delete(key);
      }
    }
    return false;
  }

  function schedule(delayMs: number): void {
    if (timer || running || stopped) return;
    timer = setTimeout(() => {
      timer = null;
      running = drain().finally(() => {
        running = null;
        if (pending.length || unwritten) schedule(options.retryDelayMs);
      });
    }, delayMs);
    timer.unref();
  }

  /** Claims keys per day of the events' own time, so a resent event meets its first key. */
  async function claim(batch: PendingEvent[]): Promise<KeyVerdict[]> {
    const verdicts: KeyVerdict[] = new Array<KeyVerdict>(batch.length);
    const byDay = new Map<string, number[]>();
    batch.forEach((p, k) => {
      const day = dayOf(p.event.at);
      const list = byDay.get(day);
      if (list) list.push(k);
      else byDay.set(day, [k]);
    });
    for (const [day, indexes] of byDay) {
      const result = await store.claimKeys(
        day,
        indexes.map((k) => batch[k]!.key),
      );
      indexes.forEach((k, n) => (verdicts[k] = result[n]!));
    }
    return verdicts;
  }

  /** One page: false when the store failed and the chain should pause. */
  async function step(): Promise<boolean> {
    if (!unwritten) {
      const batch = pending.splice(0, options.batchSize);
      let verdicts: KeyVerdict[];
      try {
        verdicts = await claim(batch);
      } catch (err) {
        pending.unshift(...batch);
        log.warn({ err }, 'recs: could not store interaction keys; retrying');
        return false;
      }
      const accepted = batch.filter((_, k) => verdicts[k] === 'accepted').map((p) => p.event);
      const retry = batch.filter((_, k) => verdicts[k] === 'retry');
      batch.forEach((p, k) => verdicts[k] === 'duplicate' && settle(p.event.a));
      if (retry.length) pending.unshift(...retry);
      if (!accepted.length) return retry.length === 0;
      unwritten = {
        _id: `${nodeId}:${seq + 1}`,
        node: nodeId,
        seq: seq + 1,
        at: new Date(),
        events: accepted,
      };
    }
    try {
      await store.writePage(unwritten);
    } catch (err) {
      log.warn({ err, page: unwritten._id }, 'recs: could not store an event page; retrying');
      return false;
    }
    const page = unwritten;
    unwritten = null;
    seq = page.seq;
    await deps.onPage(page).catch((err: unknown) => log.error({ err }, 'recs: applying a page failed'));
    for (const e of page.events) settle(e.a);
    return true;
  }

  async function drain(): Promise<void> {
    while (pending.length || unwritten) {
      if (!(await step())) return;
    }
  }

  return {
    /** Queues one event; 'duplicate' when this process saw the same one within the window. */
    offer(p: PendingEvent): 'queued' | 'duplicate' | 'dropped' {
      if (stopped) return 'dropped';
      if (p.windowKey && withinWindow(p.windowKey, p.event.at)) return 'duplicate';
      if (pending.length >= options.maxBuffered) {
        dropped++;
        if (Date.now() - lastDropWarning > 10_000) {
          lastDropWarning = Date.now();
          log.warn({ dropped, buffered: pending.length }, 'recs: event buffer full, dropping events');
        }
        return 'dropped';
      }
      pending.push(p);
      inFlight.set(p.event.a, (inFlight.get(p.event.a) ?? 0) + 1);
      schedule(pending.length >= options.batchSize ? 0 : options.flushDelayMs);
      return 'queued';
    },

    /** Resolves when everything offered so far is stored and applied (or the store keeps failing). */
    async flush(): Promise<void> {
      for (let round = 0; round < 100 && (pending.length || unwritten || running || timer); round++) {
        if (timer) {
          clearTimeout(timer);
          timer = null;
        }
        if (running) await running;
        else {
          running = drain().finally(() => (running = null));
          await running;
        }
      }
    },

    /**
     * Resolves once the actor's events offered so far are applied (or after `timeoutMs`), so a page read
     * right after an event — the home page after a product page — already reflects it.
     */
    async appliedFor(actorId: string, timeoutMs = 1000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      while (inFlight.has(actorId) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    },

    /** Forgets the actor's dedupe windows (after a reset, a new event is not a repeat of an erased one). */
    forgetActor(actorId: string): void {
      const prefix = `${actorId}|`;
      for (const key of lastSeen.keys()) if (key.startsWith(prefix)) lastSeen.delete(key);
    },

    stats: () => ({ buffered: pending.length + (unwritten?.events.length ?? 0), dropped, lastSeq: seq }),

    /** Stops accepting, then writes what is buffered. */
    async stop(): Promise<void> {
      await this.flush();
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}

export type Recorder = ReturnType<typeof createRecorder>;
