import type { Logger } from '../logger';
import type { DomainEventHandler, DomainEventName, DomainEvents } from './types';

/**
 * The event bus port. `publish` resolves once the event is handed to the transport, never after
 * consumers ran: a slow consumer (search indexer, notifications) must not slow the request that changed
 * state. Delivery is at-least-once on distributed adapters, so handlers must be idempotent.
 */
export interface EventBus {
  publish<K extends DomainEventName>(name: K, payload: DomainEvents[K]): Promise<void>;
  /** Returns a function that removes the subscription. */
  subscribe<K extends DomainEventName>(name: K, handler: DomainEventHandler<K>): () => void;
  close(): Promise<void>;
}

/** In-process adapter: the embedded default for a single node. */
export function createInProcessEventBus(log: Logger): EventBus {
  const handlers = new Map<DomainEventName, Set<DomainEventHandler<DomainEventName>>>();
  return {
    async publish(name, payload) {
      const set = handlers.get(name);
      if (!set) return;
      for (const handler of set) {
        setImmediate(() => {
          Promise.resolve()
            .then(() => handler(payload))
            .catch((err: unknown) => log.error({ err, event: name }, 'event handler failed'));
        });
      }
    },
    subscribe(name, handler) {
      let set = handlers.get(name);
      if (!set) handlers.set(name, (set = new Set()));
      set.add(handler as DomainEventHandler<DomainEventName>);
      return () => set.delete(handler as DomainEventHandler<DomainEventName>);
    },
    async close() {
      handlers.clear();
    },
  };
}
