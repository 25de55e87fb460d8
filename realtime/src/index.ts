export { attachRealtime, productRoom, sellerRoom, type RealtimeServer } from './server';
export * from './contract';
