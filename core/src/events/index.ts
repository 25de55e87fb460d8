export { createInProcessEventBus, type EventBus } from './bus';
export type { DomainEvents, DomainEventName, DomainEventHandler, ImportProgressEvent } from './types';
