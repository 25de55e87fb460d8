import type { Connection } from 'mongoose';
import { ValidationError } from '../errors';
import type { EventBus } from '../events';
import { pointsLedger, type PointsMovementDoc } from './model';
import { earnRate, TIERS, tierFor } from './tiers';
import type { MemberAccount, PointsMovement, PointsReason, TierName } from './types';
import { type Clock } from '../clock';

/** Larger than any order could earn or spend (¥100,000,000 in fen). */
const MAX_POINTS = 100_000_000_00;

function checkPoints(points: number): void {
  if (!Number.isSafeInteger(points) || points <= 0 || points > MAX_POINTS)
    throw new ValidationError([{ field: 'points', message: 'a positive whole number of points' }]);
}

function checkRef(ref: string): void {
  if (typeof ref !== 'string' || !ref || ref.length > 200)
    throw new ValidationError([{ field: 'ref', message: 'a reference of 1 to 200 characters' }]);
}

/**
 * Movements of one kind are made exactly once per caller reference; the kind is part of the ledger ref,
 * so a caller may use one reference (say an order id) for its spend and for the refund of that spend.
 */
const ledgerRef = (reason: PointsReason | 'revoke', ref: string) => `${reason}:${ref}`;
const callerRef = (stored: string | null) => (stored === null ? null : stored.slice(stored.indexOf(':') + 1));

function toMovement(doc: PointsMovementDoc): PointsMovement {
  return {
    version: doc.version,
    delta: doc.delta,
    balance: doc.balance,
    reason: doc.reason,
    note: doc.note,
    ref: callerRef(doc.ref),
    at: doc.at,
  };
}

/**
 * Membership points on an append-only ledger per shopper: earned on completed orders, spent at checkout
 * (1 point = 1 fen), refunded when an unpaid or cancelled order gives them back. Tiers follow lifetime
 * earned points.
 *
 * `bus` is taken for the `points.changed` event, which needs an entry in events/types.ts first.
 */
export function createMembershipService(deps: { connection: Connection; bus: EventBus; clock?: Clock }) {
  const ledger = pointsLedger(deps.connection, deps.clock);

  function accountOf(userId: string, head: PointsMovementDoc | null): MemberAccount {
    const lifetimeEarned = head?.lifetimeEarned ?? 0;
    const tier = tierFor(lifetimeEarned);
    const next = TIERS.find((t) => t.threshold > lifetimeEarned);
    return {
      userId,
      balance: head?.balance ?? 0,
      lifetimeEarned,
      tier: tier.name,
      benefits: { ...tier.benefits },
      nextTier: next ? { name: next.name, pointsNeeded: next.threshold - lifetimeEarned } : null,
    };
  }

  return {
    async account(userId: string): Promise<MemberAccount> {
      return accountOf(userId, await ledger.latest(userId));
    },

    /** Newest first. */
    async history(userId: string, limit = 50): Promise<PointsMovement[]> {
      const docs = await ledger.history(userId, Math.max(1, Math.min(500, Math.floor(limit))));
      return docs.map(toMovement);
    },

    /** Adds earned points once per `ref`, however often or concurrently it is called. */
    async earn(userId: string, points: number, ref: string, note: string): Promise<void> {
      checkPoints(points);
      checkRef(ref);
      await ledger.appendOnce(userId, ledgerRef('earn', ref), (head) => ({
        userId,
        delta: points,
        balance: (head?.balance ?? 0) + points,
        lifetimeEarned: (head?.lifetimeEarned ?? 0) + points,
        reason: 'earn',
        note,
      }));
    },

    /** Takes points once per `ref`; refuses (with the balance) rather than go below zero. */
    async spend(
      userId: string,
      points: number,
      ref: string,
      note: string,
    ): Promise<{ ok: true } | { ok: false; balance: number }> {
      checkPoints(points);
      checkRef(ref);
      const result = await ledger.appendOnce(userId, ledgerRef('spend', ref), (head) => {
        const balance = head?.balance ?? 0;
        if (balance < points) return null;
        return {
          userId,
          delta: -points,
          balance: balance - points,
          lifetimeEarned: head?.lifetimeEarned ?? 0,
          reason: 'spend',
          note,
        };
      });
      return result.status === 'refused' ? { ok: false, balance: result.head?.balance ?? 0 } : { ok: true };
    },

    /** Whether the spend made with `ref` was applied (so a compensation knows whether to refund it). */
    async spent(userId: string, ref: string): Promise<boolean> {
      return (await ledger.applied(userId, ledgerRef('spend', ref))) !== null;
    },

    /**
     * Whether the earn made with `ref` was applied (so a reversal takes back only what was given). Like
     * `spent`, it reads the ref's claim, which `ledger.prune_refs` removes after 30 days: callers that
     * need the answer later keep their own record of the earn as well.
     */
    async earned(userId: string, ref: string): Promise<boolean> {
      return (await ledger.applied(userId, ledgerRef('earn', ref))) !== null;
    },

    /** Gives spent points back once per `ref` (they do not count as earned). */
    async refund(userId: string, points: number, ref: string, note: string): Promise<void> {
      checkPoints(points);
      checkRef(ref);
      await ledger.appendOnce(userId, ledgerRef('refund', ref), (head) => ({
        userId,
        delta: points,
        balance: (head?.balance ?? 0) + points,
        lifetimeEarned: head?.lifetimeEarned ?? 0,
        reason: 'refund',
        note,
      }));
    },

    /**
     * Takes back points earned on an order that was refunded after completion, once per `ref`: from
     * the lifetime total (the tier) and from the balance as far as it goes (never below zero; points
     * already spent stay spent). Recorded as an `adjust` movement.
     */
    async revoke(userId: string, points: number, ref: string, note: string): Promise<void> {
      checkPoints(points);
      checkRef(ref);
      await ledger.appendOnce(userId, ledgerRef('revoke', ref), (head) => {
        const balance = head?.balance ?? 0;
        const taken = Math.min(points, balance);
        return {
          userId,
          delta: -taken,
          balance: balance - taken,
          lifetimeEarned: Math.max(0, (head?.lifetimeEarned ?? 0) - points),
          reason: 'adjust',
          note,
        };
      });
    },

    /** The tier table (also exported as TIERS), for callers that only hold the service. */
    tiers(): typeof TIERS {
      return TIERS;
    },

    /** Points per yuan (100 fen) of paid total at `tier`; floor the points of an order. */
    earnRate(tier: TierName): number {
      return earnRate(tier);
    },
  };
}

export type MembershipService = ReturnType<typeof createMembershipService>;
