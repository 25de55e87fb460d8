import { Schema, type Connection } from 'mongoose';
import { type Clock, systemClock } from '../clock';
import { modelOn } from '../db/model';
import { newId } from '../ids';
import type { SandboxSms, SmsProvider } from './types';

interface SandboxSmsDoc {
  _id: string;
  to: string;
  text: string;
  key: string;
  sentAt: Date;
}

const sandboxSmsSchema = new Schema<SandboxSmsDoc>(
  { _id: String, to: { type: String, index: true }, text: String, key: String, sentAt: Date },
  { versionKey: false },
);

/**
 * The sandbox SMS provider: "sending" stores the message in the database, where the dev mailbox page
 * (development and test only) and tests read it. It is the only provider so far; a real one (Aliyun
 * SMS, Tencent Cloud SMS) implements the same port and is picked in `services.ts` from SMS_PROVIDER.
 */
export function createSandboxSms(deps: { connection: Connection; clock?: Clock }) {
  const Messages = modelOn<SandboxSmsDoc>(deps.connection, 'SandboxSms', sandboxSmsSchema, 'sandbox_sms');
  const now = deps.clock ?? systemClock;
  const toView = (d: SandboxSmsDoc): SandboxSms => ({
    id: d._id,
    to: d.to,
    text: d.text,
    key: d.key,
    sentAt: d.sentAt,
  });
  const provider: SmsProvider = {
    name: 'sandbox',
    async send(message) {
      const id = newId('sms');
      await Messages.create({ _id: id, ...message, sentAt: now() });
      return { id };
    },
  };
  return {
    provider,
    /** Newest first; `to` narrows to one number. */
    async list(opts: { to?: string; limit?: number } = {}): Promise<SandboxSms[]> {
      const docs = await Messages.find(opts.to ? { to: opts.to } : {})
        .sort({ sentAt: -1, _id: -1 })
        .limit(Math.min(opts.limit ?? 50, 500))
        .lean<SandboxSmsDoc[]>();
      return docs.map(toView);
    },
  };
}

export type SandboxSmsOutbox = ReturnType<typeof createSandboxSms>;
