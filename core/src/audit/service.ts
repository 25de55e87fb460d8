import { randomBytes } from 'node:crypto';
import type { Connection } from 'mongoose';
import type { Clock } from '../clock';
import { systemClock } from '../clock';
import { auditModel, type AuditDoc } from './model';
import type { AuditEntry, AuditFilter, AuditInput } from './types';

/** Largest JSON kept for one side of a change; a bigger value is cut (and says so) rather than refused. */
const MAX_VALUE_CHARS = 16_000;

function encode(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  const json = JSON.stringify(value);
  return json.length <= MAX_VALUE_CHARS
    ? json
    : JSON.stringify({ truncated: json.slice(0, MAX_VALUE_CHARS) });
}

function decode(json: string | null): unknown {
  return json === null ? null : (JSON.parse(json) as unknown);
}

const toEntry = (d: AuditDoc): AuditEntry => ({
  id: d._id,
  at: d.at,
  actor: { id: d.actorId, roles: d.actorRoles },
  action: d.action,
  target: { type: d.targetType, id: d.targetId },
  before: decode(d.before),
  after: decode(d.after),
  reason: d.reason,
});

/**
 * The staff audit log: who did what to which thing, when, and what it was before and after. Append-only:
 * this service inserts and reads, and nothing in the product updates or deletes a line (there is no prune
 * job either: the log is kept for as long as the business keeps its records). Every staff action records
 * one line after it took effect — role changes, blocks, seller decisions, takedowns, refunds, coupon,
 * promotion and commission changes, photo decisions.
 */
export function createAuditLog(deps: { connection: Connection; clock?: Clock }) {
  const Audit = auditModel(deps.connection);
  const now = deps.clock ?? systemClock;

  return {
    async record(input: AuditInput): Promise<AuditEntry> {
      const at = now();
      const doc: AuditDoc = {
        _id: `${at.toISOString()}~${randomBytes(6).toString('hex')}`,
        at,
        actorId: input.actor.id,
        actorRoles: [...input.actor.roles],
        action: input.action,
        targetType: input.target.type,
        targetId: input.target.id,
        before: encode(input.before),
        after: encode(input.after),
        reason: input.reason ?? null,
      };
      await Audit.create(doc);
      return toEntry(doc);
    },

    /**
     * Newest first, `limit` at a time; `cursor` is the last id of the previous page. Filters combine
     * (all must hold); `from`/`to` bound the time (inclusive, exclusive).
     */
    async list(
      filter: AuditFilter,
      page: { limit: number; cursor?: string | null },
    ): Promise<{ items: AuditEntry[]; nextCursor: string | null }> {
      const query: Record<string, unknown> = {};
      if (filter.actorId) query.actorId = filter.actorId;
      if (filter.action) query.action = filter.action;
      if (filter.targetType) query.targetType = filter.targetType;
      if (filter.targetId) query.targetId = filter.targetId;
      const id: Record<string, string> = {};
      if (page.cursor) id.$lt = page.cursor;
      if (filter.to) id.$lt = minString(id.$lt, filter.to.toISOString());
      if (filter.from) id.$gte = filter.from.toISOString();
      if (Object.keys(id).length) query._id = id;
      const docs = await Audit.find(query)
        .sort({ _id: -1 })
        .limit(page.limit + 1)
        .lean<AuditDoc[]>();
      const items = docs.slice(0, page.limit).map(toEntry);
      return { items, nextCursor: docs.length > page.limit ? items.at(-1)!.id : null };
    },
  };
}

function minString(a: string | undefined, b: string): string {
  return a === undefined || b < a ? b : a;
}

export type AuditLog = ReturnType<typeof createAuditLog>;
