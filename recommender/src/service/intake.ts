import type { CoreServices, Logger } from '@market/core';
import type { InteractionType } from '../types';
import { dayOf } from './buckets';
import { RECS_ERASE_JOB, type EraseActorPayload } from './jobs';
import type { LiveModels } from './model-lifecycle';
import type { NodeReporter } from './node-status';
import { createRecorder, type PendingEvent } from './recorder';
import type { EventStore } from './store';
import type { StoredEvent } from './types';

export interface EventInput {
  type: InteractionType | 'search';
  itemId?: string;
  q?: string;
  /** Epoch ms; the server's clock when absent. */
  at?: number;
  /** A client-chosen id: sending the same event again (a retried beacon) stores it once. */
  clientId?: string;
  /** Purchases: the order, so a redelivered `order.status_changed` records each line once. */
  orderId?: string;
  /** Searches: how many results were found. */
  results?: number;
}

/** Client timestamps are trusted within this much of the server's clock (a beacon holds events briefly). */
const CLIENT_SKEW_MS = 10 * 60_000;
const WINDOW_MS = 10 * 60_000;
const BUFFER_LIMIT = 100_000;

/** The dedupe key of an event, and the window key that makes a repeat within minutes count once. */
function keyOf(e: StoredEvent, input: EventInput): { key: string; windowKey: string | null } {
  const subject = e.t === 'search' ? `q:${e.q}` : (e.i ?? '');
  const windowKey = `${e.a}|${e.t}|${subject}`;
  if (e.t === 'purchase' && input.orderId) return { key: `p:${input.orderId}:${e.i}`, windowKey: null };
  if (input.clientId) return { key: `c:${e.a}:${input.clientId}`, windowKey };
  return { key: `w:${e.a}:${e.t}:${subject}:${Math.floor(e.at / WINDOW_MS)}`, windowKey };
}

/**
 * The intake of interaction events and the two controls (`link`, `reset`): recording only touches
 * memory; the recorder writes this process's pages in the background, and each stored page is applied to
 * the serving model at once and announced through the node document's `lastSeq`.
 */
export function createIntake(deps: {
  store: EventStore;
  nodeId: string;
  log: Logger;
  models: LiveModels;
  reporter: NodeReporter;
  core: Pick<CoreServices, 'orders' | 'queue' | 'analytics'>;
}) {
  const { models, reporter, core } = deps;
  /** The last page this process stored and applied. */
  let ownSeq = 0;

  const recorder = createRecorder({
    store: deps.store,
    nodeId: deps.nodeId,
    log: deps.log,
    onPage: async (page) => {
      ownSeq = page.seq;
      models.serving.applyPage(page);
      reporter.node.lastSeq = page.seq;
      reporter.node.lastDay = dayOf(page.at.getTime());
      await reporter.save();
      // Analytics taps the same stored pages (each written by one process, so applied once in the
      // cluster); a failure leaves the rollups short, never double, until a rebuild re-reads the pages.
      core.analytics.applyInteractionPage({ id: page._id, events: page.events }).catch((err: unknown) => {
        deps.log.error({ err, page: page._id }, 'analytics: interaction page not applied');
      });
    },
    options: { windowMs: WINDOW_MS, maxBuffered: BUFFER_LIMIT },
  });

  function record(actorId: string, input: EventInput): 'queued' | 'duplicate' | 'dropped' {
    const now = Date.now();
    const at = input.at === undefined ? now : Math.min(now, Math.max(now - CLIENT_SKEW_MS, input.at));
    const event: StoredEvent = { a: actorId, t: input.type, at };
    if (input.itemId) event.i = input.itemId;
    if (input.q) event.q = input.q.trim().slice(0, 200).toLowerCase();
    if (input.results !== undefined) event.n = input.results;
    const pending: PendingEvent = { event, ...keyOf(event, input) };
    return recorder.offer(pending);
  }

  function control(event: StoredEvent, key: string): void {
    recorder.offer({ event, key, windowKey: null });
  }

  return {
    record,

    /** A paid order: one purchase per line, keyed by the order so a redelivered event counts once. */
    async recordPurchases(e: { orderId: string; buyerId: string; at: string }): Promise<void> {
      const order = await core.orders.get(e.orderId);
      const at = Date.parse(e.at) || Date.now();
      for (const line of order.lines) {
        record(e.buyerId, { type: 'purchase', itemId: line.productId, orderId: e.orderId, at });
      }
    },

    /** False while the write buffer is more than half full: clients should send their events later. */
    acceptsClientEvents: () => recorder.stats().buffered < BUFFER_LIMIT / 2,

    /** An anonymous visitor logged in: their history becomes the account's, on every process. */
    link(anonymousId: string, userId: string): void {
      if (anonymousId === userId) return;
      models.serving.engine.mergeActor(anonymousId, userId);
      models.serving.searches.merge(anonymousId, userId);
      control({ a: anonymousId, t: 'link', to: userId, at: Date.now() }, `l:${anonymousId}:${userId}`);
    },

    /**
     * Forgets an actor now in this process, on every other one through the event stream (a `reset`
     * record, which a later full load replays too), and erases their stored events with a durable job.
     */
    async reset(actorId: string): Promise<{ eraseJobId: string }> {
      const at = Date.now();
      models.serving.engine.forget(actorId);
      models.serving.searches.forget(actorId);
      recorder.forgetActor(actorId);
      control({ a: actorId, t: 'reset', at }, `r:${actorId}:${at}`);
      const payload: EraseActorPayload = { actorId, until: at };
      const job = await core.queue.enqueue(RECS_ERASE_JOB, payload, { delayMs: 1000 });
      return { eraseJobId: job.id };
    },

    /** Read-your-writes: resolves once the actor's recorded events are applied (or shortly after). */
    appliedFor: (actorId: string) => recorder.appliedFor(actorId),
    ownSeq: () => ownSeq,
    flush: () => recorder.flush(),
    stats: () => recorder.stats(),
    /** Stops accepting, then writes what is buffered. */
    stop: () => recorder.stop(),
  };
}

export type Intake = ReturnType<typeof createIntake>;
