export { attachRealtime, createRealtimeEmitter, RECOVERY_WINDOW_MS, type Realtime } from './server';
export * from './rooms';
export type { SocketUser, RealtimeNamespaces } from './types';
export * from './contract';
