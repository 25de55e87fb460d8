import { randomUUID } from 'node:crypto';
import type { Logger } from '../logger';
import type { Redis } from '../redis';
import { createInProcessEventBus, HandlerRegistry, type EventBus, type EventLagObserver } from './bus';
import type { DomainEventName } from './types';

export const EVENTS_CHANNEL = 'market:events';

interface Envelope {
  /** The publishing process. */
  o: string;
  n: DomainEventName;
  p: unknown;
  /** Epoch ms of the publish (absent from processes older than this field: no lag is measured). */
  t?: number;
}

/**
 * Redis pub/sub adapter (REDIS_URL): every process — app nodes and workers — receives every event,
 * including its own, through one channel, so all consumers see one order per publisher.
 *
 * Pub/sub keeps nothing for a process that is disconnected, so consumers that must not miss an event
 * catch up from the database when they (re)start (listings, search indexer); the realtime fan-out is
 * covered by Socket.IO's connection-state recovery. When Redis cannot take an event, this process's own
 * consumers still get it (the cluster will not), and the failure is logged — the state change that
 * produced it has already happened and must not fail the request.
 */
export async function createRedisEventBus(deps: {
  /** For PUBLISH; the bus opens its own subscriber connection from it. */
  redis: Redis;
  log: Logger;
  channel?: string;
  observeLag?: EventLagObserver;
}): Promise<EventBus> {
  const { redis, log } = deps;
  const channel = deps.channel ?? EVENTS_CHANNEL;
  const nodeId = randomUUID();
  const registry = new HandlerRegistry(log, deps.observeLag);
  const subscriber = redis.duplicate({ connectionName: 'market:events-sub' });
  subscriber.on('error', (err: Error) => log.warn({ err: err.message }, 'event bus subscriber error'));
  subscriber.on('message', (ch: string, raw: string) => {
    if (ch !== channel) return;
    let envelope: Envelope;
    try {
      envelope = JSON.parse(raw) as Envelope;
    } catch {
      log.warn({ raw: raw.slice(0, 200) }, 'unreadable event on the bus');
      return;
    }
    registry.dispatch(envelope.n, envelope.p, envelope.o === nodeId, envelope.t);
  });
  // ioredis re-subscribes by itself after a reconnect.
  await subscriber.subscribe(channel);

  return {
    async publish(name, payload) {
      const envelope: Envelope = { o: nodeId, n: name, p: payload, t: Date.now() };
      try {
        await redis.publish(channel, JSON.stringify(envelope));
      } catch (err) {
        log.error({ err, event: name }, 'event not published to Redis; delivering it in this process only');
        registry.dispatch(name, payload, true, envelope.t);
      }
    },
    subscribe(name, handler, opts) {
      return registry.add(name, handler as never, opts?.origin);
    },
    async close() {
      registry.clear();
      await subscriber.quit().catch(() => subscriber.disconnect());
    },
  };
}

/** The bus a process should use: over Redis when REDIS_URL gave it a connection, in process otherwise. */
export async function openEventBus(deps: {
  redis: Redis | null;
  log: Logger;
  observeLag?: EventLagObserver;
}): Promise<EventBus> {
  return deps.redis
    ? createRedisEventBus({ redis: deps.redis, log: deps.log, observeLag: deps.observeLag })
    : createInProcessEventBus(deps.log, deps.observeLag);
}
