import type { Logger } from '../logger';
import type { DomainEventHandler, DomainEventName, DomainEvents } from './types';

export interface SubscribeOptions {
  /**
   * `any` (default): every event, whichever process published it. `local`: only events published by
   * this process — for consumers that must act once per event across the cluster, such as the realtime
   * fan-out, whose Socket.IO adapter already carries each emit to every node.
   */
  origin?: 'any' | 'local';
}

/**
 * The event bus port. `publish` resolves once the event is handed to the transport, never after
 * consumers ran: a slow consumer (search indexer, notifications) must not slow the request that changed
 * state. Delivery is at-least-once on distributed adapters, so handlers must be idempotent.
 */
export interface EventBus {
  publish<K extends DomainEventName>(name: K, payload: DomainEvents[K]): Promise<void>;
  /** Returns a function that removes the subscription. */
  subscribe<K extends DomainEventName>(
    name: K,
    handler: DomainEventHandler<K>,
    opts?: SubscribeOptions,
  ): () => void;
  close(): Promise<void>;
}

type AnyHandler = DomainEventHandler<DomainEventName>;

/**
 * Told, once per event delivered to this process, how long it took from `publish` (on whichever process)
 * until its handlers started: the bus's own queueing plus, over Redis, the hop between processes
 * (so across machines it includes their clock difference).
 */
export type EventLagObserver = (name: DomainEventName, lagMs: number) => void;

/**
 * Handler registry shared by the adapters: runs each handler on its own tick, so a throwing or slow
 * handler neither blocks the publisher nor the other handlers.
 */
export class HandlerRegistry {
  readonly #handlers = new Map<DomainEventName, Map<AnyHandler, SubscribeOptions['origin']>>();

  constructor(
    private readonly log: Logger,
    private readonly observeLag?: EventLagObserver,
  ) {}

  add(name: DomainEventName, handler: AnyHandler, origin: SubscribeOptions['origin'] = 'any'): () => void {
    let set = this.#handlers.get(name);
    if (!set) this.#handlers.set(name, (set = new Map()));
    set.set(handler, origin);
    return () => set.delete(handler);
  }

  /** `publishedAt`: epoch ms of the `publish` call, for the lag observer. */
  dispatch(name: DomainEventName, payload: unknown, local: boolean, publishedAt?: number): void {
    const set = this.#handlers.get(name);
    if (!set) return;
    const { observeLag } = this;
    if (observeLag && publishedAt !== undefined)
      setImmediate(() => observeLag(name, Math.max(0, Date.now() - publishedAt)));
    for (const [handler, origin] of set) {
      if (origin === 'local' && !local) continue;
      setImmediate(() => {
        Promise.resolve()
          .then(() => handler(payload as DomainEvents[DomainEventName]))
          .catch((err: unknown) => this.log.error({ err, event: name }, 'event handler failed'));
      });
    }
  }

  clear(): void {
    this.#handlers.clear();
  }
}

/** In-process adapter: the embedded default for a single node. Every event is local. */
export function createInProcessEventBus(log: Logger, observeLag?: EventLagObserver): EventBus {
  const registry = new HandlerRegistry(log, observeLag);
  return {
    async publish(name, payload) {
      registry.dispatch(name, payload, true, Date.now());
    },
    subscribe(name, handler, opts) {
      return registry.add(name, handler as AnyHandler, opts?.origin);
    },
    async close() {
      registry.clear();
    },
  };
}
