export type { SmsMessage, SmsProvider, SandboxSms } from './types';
export { createSandboxSms, type SandboxSmsOutbox } from './sandbox';
