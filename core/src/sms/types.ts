/** One text message. `key` names what it is (a login code, a notification) for the provider's dedupe. */
export interface SmsMessage {
  to: string;
  text: string;
  key: string;
}

/**
 * The SMS port. `send` resolves once the provider accepted the message and rejects otherwise (the
 * caller retries). Providers dedupe on `key` where they can (Aliyun's `OutId`, Twilio's idempotency
 * header); the sandbox keeps every message so a duplicate shows.
 */
export interface SmsProvider {
  readonly name: string;
  send(message: SmsMessage): Promise<{ id: string }>;
}

/** A message the sandbox provider kept (what the dev mailbox page and the tests read). */
export interface SandboxSms {
  id: string;
  to: string;
  text: string;
  key: string;
  sentAt: Date;
}
