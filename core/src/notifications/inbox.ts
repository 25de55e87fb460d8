import type { Connection } from 'mongoose';
import type { Clock } from '../clock';
import { createLedger, type LedgerEntry } from '../ledger';

/**
 * Each person's inbox as a ledger stream (`<userId>:<version>`, `core/src/ledger`): one entry per
 * notification added and per read, each carrying the totals after it. The unread count is
 * `count − readUpTo − readAbove`, read from the head: no counter that the delivery jobs and the
 * person's own clicks change in one document (FerretDB applies updates by read-modify-write, so two
 * writers there would lose counts). A notification's `version` in the stream is its position, which
 * also pages the list newest first with `_id` lookups only.
 */
export interface InboxEntry extends LedgerEntry {
  userId: string;
  kind: 'added' | 'read' | 'read_all';
  notificationId: string | null;
  /** Notifications ever added. */
  count: number;
  /** Every notification at or below this position is read ("mark all read"). */
  readUpTo: number;
  /** Notifications above `readUpTo` read one by one. */
  readAbove: number;
}

export const unreadOf = (head: InboxEntry | null) =>
  head ? Math.max(0, head.count - head.readUpTo - head.readAbove) : 0;

export function createInbox(deps: { connection: Connection; clock: Clock }) {
  const ledger = createLedger<InboxEntry>({
    connection: deps.connection,
    collection: 'notification_inbox',
    heads: 'notification_inbox_heads',
    keyField: 'userId',
    clock: deps.clock,
  });

  const totals = (head: InboxEntry | null) => ({
    count: head?.count ?? 0,
    readUpTo: head?.readUpTo ?? 0,
    readAbove: head?.readAbove ?? 0,
  });

  return {
    ledger,
    /** Adds a notification exactly once (a retried job finds its earlier entry); returns its position. */
    async add(userId: string, notificationId: string): Promise<{ position: number; unread: number }> {
      const result = await ledger.appendOnce(userId, notificationId, (head) => {
        const t = totals(head);
        return { userId, kind: 'added', notificationId, ...t, count: t.count + 1 };
      });
      if (result.status === 'refused') throw new Error('inbox append refused');
      return { position: result.entry.version, unread: unreadOf(await ledger.latest(userId)) };
    },
    /** The position a notification was added at, or null. */
    async positionOf(userId: string, notificationId: string): Promise<number | null> {
      return (await ledger.applied(userId, notificationId))?.version ?? null;
    },
    /** Marks one notification read, once; returns the unread count after. */
    async markRead(userId: string, notificationId: string, position: number): Promise<number> {
      await ledger.appendOnce(userId, `read:${notificationId}`, (head) => {
        const t = totals(head);
        if (position <= t.readUpTo) return 'unchanged';
        return { userId, kind: 'read', notificationId, ...t, readAbove: t.readAbove + 1 };
      });
      return unreadOf(await ledger.latest(userId));
    },
    async markAllRead(userId: string): Promise<number> {
      await ledger.append(userId, (head) => {
        const t = totals(head);
        if (t.readUpTo === t.count && t.readAbove === 0) return 'unchanged';
        return { userId, kind: 'read_all', notificationId: null, ...t, readUpTo: t.count, readAbove: 0 };
      });
      return 0;
    },
    head: (userId: string) => ledger.latest(userId),
    /** The entry at `version` of a person's stream, or null. */
    entry: (userId: string, version: number) =>
      ledger.collection.findOne({ _id: `${userId}:${version}` } as never) as Promise<InboxEntry | null>,
  };
}

export type Inbox = ReturnType<typeof createInbox>;
