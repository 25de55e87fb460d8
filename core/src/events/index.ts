export { createInProcessEventBus, type EventBus, type EventLagObserver, type SubscribeOptions } from './bus';
export { createRedisEventBus, EVENTS_CHANNEL, openEventBus } from './redis-bus';
export type {
  DomainEvents,
  DomainEventName,
  DomainEventHandler,
  ImportProgressEvent,
  SessionEndReason,
} from './types';
