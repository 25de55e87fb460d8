import { Schema, type Connection } from 'mongoose';
import { modelOn } from '../db/model';
import { newId } from '../ids';
import type { MailboxMessage } from './types';

interface MailboxDoc {
  _id: string;
  messageId: string | null;
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string | null;
  receivedAt: Date;
}

const mailboxSchema = new Schema<MailboxDoc>(
  {
    _id: String,
    // Not unique: every SMTP delivery is kept, so a message sent twice shows (and is counted) twice.
    messageId: { type: String, default: null, index: true },
    from: String,
    to: [String],
    subject: String,
    text: String,
    html: { type: String, default: null },
    receivedAt: { type: Date, index: true },
  },
  { versionKey: false },
);

function toMessage(doc: MailboxDoc): MailboxMessage {
  return {
    id: doc._id,
    messageId: doc.messageId,
    from: doc.from,
    to: doc.to,
    subject: doc.subject,
    text: doc.text,
    html: doc.html,
    receivedAt: doc.receivedAt,
  };
}

/**
 * The dev mailbox: every message the embedded SMTP server accepted, in the database so that every
 * process (and the `/dev/mailbox` page) sees the same mail. Development and test only; a production
 * deployment sends through SMTP_URL and never reads this.
 */
export function createMailbox(deps: { connection: Connection }) {
  const Mailbox = modelOn<MailboxDoc>(deps.connection, 'MailboxMessage', mailboxSchema, 'dev_mailbox');
  return {
    async store(message: Omit<MailboxMessage, 'id'>): Promise<MailboxMessage> {
      const doc = await Mailbox.create({ _id: newId('mail'), ...message });
      return toMessage(doc.toObject());
    },
    /** Newest first; `to` narrows to one recipient (lower-cased). */
    async list(opts: { to?: string; limit?: number } = {}): Promise<MailboxMessage[]> {
      const filter = opts.to ? { to: opts.to.trim().toLowerCase() } : {};
      const docs = await Mailbox.find(filter)
        .sort({ receivedAt: -1, _id: -1 })
        .limit(Math.min(opts.limit ?? 50, 500))
        .lean<MailboxDoc[]>();
      return docs.map(toMessage);
    },
    async get(id: string): Promise<MailboxMessage | null> {
      const doc = await Mailbox.findById(id).lean<MailboxDoc>();
      return doc ? toMessage(doc) : null;
    },
    /** How many deliveries carried this Message-ID (1 for a message sent exactly once). */
    countByMessageId(messageId: string): Promise<number> {
      return Mailbox.countDocuments({ messageId });
    },
    count(): Promise<number> {
      return Mailbox.countDocuments({});
    },
  };
}

export type Mailbox = ReturnType<typeof createMailbox>;
