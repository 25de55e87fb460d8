import { setTimeout as sleep } from 'node:timers/promises';
import type { Connection } from 'mongoose';
import {
  ConflictError,
  isDuplicateKeyError,
  isTransientStoreError as isTransient,
  NotFoundError,
} from '../errors';
import type { LedgerEntry } from '../ledger';
import { redeemedMarkers, redemptionLedger, type RedemptionStepDoc } from './model';
import { createSlots, globalSlotKey, userSlotKey } from './slots';
import type { Coupon, RedeemFailure, RedeemResult } from './types';
import { type Clock } from '../clock';

/** A safety net against a bug looping forever; a redemption needs a handful of steps. */
const MAX_STEPS = 10_000;
/** Retries of a step that hit a transient store error (see `isTransient`). */
const MAX_TRANSIENT_RETRIES = 20;

export { globalSlotKey, userSlotKey } from './slots';

export const redemptionKey = (couponId: string, redemptionId: string) => `${couponId}:r:${redemptionId}`;

type Step = Omit<RedemptionStepDoc, keyof LedgerEntry>;

function fieldsOf(entry: RedemptionStepDoc): Step {
  const { _id: _i, version: _v, at: _a, ref: _r, ...fields } = entry;
  return fields;
}

/** The token the slots a step targets are held under: unique per redemption and step. */
const tokenFor = (key: string, head: RedemptionStepDoc | null) => `${key}@${(head?.version ?? 0) + 1}`;

export function isInWindow(coupon: Coupon, at: Date): boolean {
  return coupon.startsAt <= at && (coupon.endsAt === null || at < coupon.endsAt);
}

/**
 * Coupon redemptions, limited by unique-key inserts rather than counters (FerretDB applies `$inc` and
 * conditional updates by read-modify-write: docs/ARCHITECTURE.md, "The store on FerretDB 1.24").
 *
 * A redemption holds one of the coupon's global slots (`<couponId>:g:1..usageLimit`) and one of the
 * shopper's slots (`<couponId>:u:<userId>:1..perUserLimit`); a null limit needs no slot. Each slot is a
 * ledger stream (model.ts), so it has at most one holder on both engines, and freeing it is an insert
 * too, which frees it only for the token that holds it.
 *
 * The redemption itself is a small state machine on its own ledger stream: `claim` (target slots) →
 * `held`, or `failed` (what it took is freed; a later `redeem` with that id starts a new attempt);
 * `released` is terminal. A step names its target slots and the token they are
 * taken under *before* anyone takes them, and the next step is appended only if the head is still the
 * step the caller acted on. Hence:
 * - duplicates of one redemption id (a retried checkout, concurrent or not) help the same stream on and
 *   end up holding one slot of each kind: a caller that took a slot for a step that is no longer
 *   current frees it again, and settled states sweep every token the stream ever named;
 * - a caller that dies half-way leaves a head that the next `redeem` or `release` with that id carries
 *   on from (a slot taken under the current step's token is found taken "by us");
 * - `released` is terminal, so a checkout retry that arrives after its order was cancelled cannot take
 *   a slot back (it gets `inactive`).
 * A refusal that leaves nothing held is returned without a write (the crowd that finds a coupon used up
 * costs reads only). Either way a refusal answers that attempt: concurrent duplicates of one id may
 * get different answers while the stream itself settles on one outcome.
 */
export function createRedemptions(deps: {
  connection: Connection;
  clock: Clock;
  loadCoupon: (couponId: string) => Promise<Coupon | null>;
}) {
  const steps = redemptionLedger(deps.connection, deps.clock);
  const markers = redeemedMarkers(deps.connection);
  const {
    globalSlot,
    userSlot,
    takeSlot,
    freeSlot,
    holderOf,
    moveCursor,
    firstGlobalTarget,
    nextGlobalTarget,
    nextUserTarget,
    globalMayHaveRoom,
  } = createSlots(deps);

  async function requireCoupon(couponId: string): Promise<Coupon> {
    const coupon = await deps.loadCoupon(couponId);
    if (!coupon) throw new NotFoundError('Coupon');
    return coupon;
  }

  async function withTransientRetries<T>(run: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await run();
      } catch (err) {
        if (!isTransient(err) || attempt >= MAX_TRANSIENT_RETRIES) throw err;
        await sleep(10 + Math.random() * 50 * Math.min(attempt + 1, 5));
      }
    }
  }

  // ---- steps -------------------------------------------------------------------------------------

  /** Appends `next(head)` only if the stream is still at `seen`; returns the head after. */
  async function advance(
    seen: RedemptionStepDoc,
    next: (head: RedemptionStepDoc) => Step,
  ): Promise<RedemptionStepDoc | null> {
    const result = await steps.append(seen.redemptionKey, (head) =>
      head && head.version === seen.version ? next(head) : null,
    );
    return result.status === 'refused' ? result.head : result.entry;
  }

  /** Whether `head` still counts on the slot held under `token`. */
  function keeps(head: RedemptionStepDoc | null, token: string): boolean {
    if (!head || head.phase === 'failed' || head.phase === 'released') return false;
    return head.userToken === token || head.globalToken === token;
  }

  /**
   * Frees every slot the stream ever targeted except those the head keeps: stale takes by lagging
   * duplicates, or everything once the redemption failed or was released. Idempotent.
   */
  async function sweep(head: RedemptionStepDoc): Promise<void> {
    const history = head.version === 1 ? [head] : await steps.history(head.redemptionKey, head.version);
    // A step's user and global targets share its token: key by slot and token.
    const targets = new Map<string, { slotKey: string; token: string; global: number | null }>();
    const add = (slotKey: string, token: string, global: number | null) =>
      targets.set(`${slotKey}|${token}`, { slotKey, token, global });
    for (const step of history) {
      if (step.userSlot !== null && step.userToken)
        add(userSlotKey(step.couponId, step.userId, step.userSlot), step.userToken, null);
      if (step.globalSlot !== null && step.globalToken)
        add(globalSlotKey(step.couponId, step.globalSlot), step.globalToken, step.globalSlot);
    }
    await Promise.all(
      [...targets.values()].map(async ({ slotKey, token, global }) => {
        if (keeps(head, token)) return;
        if ((await freeSlot(slotKey, token)) && global !== null)
          await moveCursor(head.couponId, '$min', global);
      }),
    );
  }

  async function settleHeld(head: RedemptionStepDoc): Promise<void> {
    try {
      await markers.insertOne({
        _id: head.redemptionKey,
        couponId: head.couponId,
        userId: head.userId,
        redemptionId: head.redemptionId,
        at: head.at,
      });
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
    }
    // A release may have run between reading `held` and the insert: it deletes the marker only after
    // appending `released`, so whichever of us comes second sees the other and the marker goes.
    const latest = await steps.latest(head.redemptionKey);
    if (latest?.phase === 'released') await markers.deleteOne({ _id: head.redemptionKey });
    await sweep(head);
  }

  function emptyStep(couponId: string, userId: string, redemptionId: string): Step {
    return {
      redemptionKey: redemptionKey(couponId, redemptionId),
      couponId,
      redemptionId,
      userId,
      phase: 'held',
      userSlot: null,
      userToken: null,
      globalSlot: null,
      globalToken: null,
      globalPass: null,
      globalProbes: 0,
      reason: null,
    };
  }

  /**
   * The first step of a redemption (new, or tried again after `after` failed), or why there is none;
   * the coupon is checked here, once per attempt.
   */
  async function openingStep(
    coupon: Coupon,
    userId: string,
    redemptionId: string,
    after: RedemptionStepDoc | null,
  ): Promise<Step | RedeemFailure> {
    if (!coupon.active || !isInWindow(coupon, deps.clock())) return 'inactive';
    const base = emptyStep(coupon.id, userId, redemptionId);
    const token = tokenFor(base.redemptionKey, after);
    const [user, global] = await Promise.all([
      coupon.perUserLimit === null ? null : nextUserTarget(coupon, userId, 0),
      coupon.usageLimit === null ? null : firstGlobalTarget(coupon),
    ]);
    if (coupon.perUserLimit !== null && user === null) return 'user_limit';
    if (coupon.usageLimit !== null && global === null) return 'global_limit';
    if (user === null && global === null) return base;
    return {
      ...base,
      phase: 'claim',
      ...(user !== null && { userSlot: user, userToken: token }),
      ...(global && {
        globalSlot: global.slot,
        globalToken: token,
        globalPass: global.pass,
        globalProbes: global.probes,
      }),
    };
  }

  /**
   * Phase `claim`: take the global slot, then the shopper's (so a crowd on a used-up coupon never
   * touches shopper slots); then `held`, or the next target for a refused slot, or `failed` when one
   * kind has no free slot left. Returns a result only when it is final for this call.
   */
  async function stepClaim(coupon: Coupon, head: RedemptionStepDoc): Promise<RedeemResult | null> {
    const user =
      head.userSlot === null || !head.userToken
        ? null
        : { ref: userSlot(coupon.id, head.userId, head.userSlot), token: head.userToken };
    const global =
      head.globalSlot === null || !head.globalToken
        ? null
        : { ref: globalSlot(coupon.id, head.globalSlot), token: head.globalToken };
    const globalTaken = global ? await takeSlot(global.ref, global.token) : false;
    const userTried = !!user && (!global || globalTaken);
    const userTaken = userTried ? await takeSlot(user.ref, user.token) : false;
    const taken = [userTaken ? user : null, globalTaken ? global : null].filter(
      (t): t is NonNullable<typeof user> => t !== null,
    );
    /** After a step we could not make: give back what we took for a step that is no longer current. */
    const freeStale = async (now: RedemptionStepDoc | null) => {
      for (const t of taken) if (!keeps(now, t.token)) await freeSlot(t.ref.slotKey, t.token);
    };
    if (globalTaken && head.globalPass === 'seq' && head.globalSlot !== null)
      await moveCursor(coupon.id, '$max', head.globalSlot + 1);

    if ((!user || userTaken) && (!global || globalTaken)) {
      await freeStale(await advance(head, (h) => ({ ...fieldsOf(h), phase: 'held' })));
      return null;
    }

    const [nextUser, nextGlobal] = await Promise.all([
      userTried && !userTaken ? nextUserTarget(coupon, head.userId, head.userSlot ?? 0) : undefined,
      global && !globalTaken
        ? nextGlobalTarget(coupon, { slot: global.ref.n, pass: head.globalPass, probes: head.globalProbes })
        : undefined,
    ]);
    const failure: RedeemFailure | null =
      nextUser === null ? 'user_limit' : nextGlobal === null ? 'global_limit' : null;
    if (failure) {
      // Nothing held under this step's tokens: nothing to undo, so no write (see the doc comment). The
      // shopper's slot was not tried if the global one was refused, but an earlier step may hold it.
      const holdsUserSlot = !!user && !userTried && (await holderOf(user.ref.slotKey)) === user.token;
      if (!taken.length && !holdsUserSlot) return { ok: false, reason: failure };
      const now = await advance(head, (h) => ({ ...fieldsOf(h), phase: 'failed', reason: failure }));
      if (now?.phase !== 'failed' || now.version !== head.version + 1) {
        await freeStale(now);
        return null;
      }
      await sweep(now);
      return { ok: false, reason: failure };
    }
    const now = await advance(head, (h) => {
      const token = tokenFor(h.redemptionKey, h);
      return {
        ...fieldsOf(h),
        ...(typeof nextUser === 'number' && { userSlot: nextUser, userToken: token }),
        ...(nextGlobal && {
          globalSlot: nextGlobal.slot,
          globalToken: token,
          globalPass: nextGlobal.pass,
          globalProbes: nextGlobal.probes,
        }),
      };
    });
    await freeStale(now);
    return null;
  }

  /** One look at the stream and one move; a result when this call is done. */
  async function redeemStep(
    couponId: string,
    r: { userId: string; redemptionId: string },
    coupon: () => Promise<Coupon>,
  ): Promise<RedeemResult | null> {
    const key = redemptionKey(couponId, r.redemptionId);
    const head = await steps.latest(key);
    if (head && head.userId !== r.userId)
      throw new ConflictError('This redemption id belongs to another shopper');
    switch (head?.phase) {
      case undefined:
      case 'failed': {
        // A failure is the answer of that attempt, not of the redemption id: redeeming again tries again
        // (only `released` is final). Whatever the failed attempt held goes back first.
        if (head) await sweep(head);
        const first = await openingStep(await coupon(), r.userId, r.redemptionId, head);
        if (typeof first === 'string') return { ok: false, reason: first };
        await steps.append(key, (h) => ((h?.version ?? 0) === (head?.version ?? 0) ? first : null));
        return null;
      }
      case 'claim':
        return stepClaim(await coupon(), head);
      case 'held':
        await settleHeld(head);
        return { ok: true };
      case 'released':
        await sweep(head);
        return { ok: false, reason: 'inactive' };
    }
  }

  return {
    async redeem(couponId: string, r: { userId: string; redemptionId: string }): Promise<RedeemResult> {
      let loaded: Coupon | null = null;
      const coupon = async () => (loaded ??= await requireCoupon(couponId));
      for (let i = 0; i < MAX_STEPS; i++) {
        const result = await withTransientRetries(() => redeemStep(couponId, r, coupon));
        if (result) return result;
      }
      throw new Error(`redemption ${redemptionKey(couponId, r.redemptionId)} did not settle`);
    },

    async release(couponId: string, r: { userId: string; redemptionId: string }): Promise<void> {
      const key = redemptionKey(couponId, r.redemptionId);
      await withTransientRetries(async () => {
        const result = await steps.append(key, (head) => {
          if (head?.phase === 'released') return 'unchanged';
          if (head) return { ...fieldsOf(head), phase: 'released' };
          // Never redeemed (yet): the tombstone stops a late redeem with this id from taking a slot.
          return { ...emptyStep(couponId, r.userId, r.redemptionId), phase: 'released' };
        });
        if (result.status === 'refused' || result.status === 'already') return;
        await markers.deleteOne({ _id: key });
        await sweep(result.entry);
      });
    },

    async redemptionCount(couponId: string): Promise<number> {
      return markers.countDocuments({ couponId });
    },

    /** Held redemptions per coupon, in one pass over the markers. */
    async countsByCoupon(filter: { userId?: string } = {}): Promise<Map<string, number>> {
      const rows = await markers
        .aggregate<{ _id: string; n: number }>([
          { $match: filter },
          { $group: { _id: '$couponId', n: { $sum: 1 } } },
        ])
        .toArray();
      return new Map(rows.map((row) => [row._id, row.n]));
    },

    /** Whether the shopper has a free slot (probes their slots by `_id`; in-flight redemptions count). */
    async userHasRoom(coupon: Coupon, userId: string): Promise<boolean> {
      return coupon.perUserLimit === null || (await nextUserTarget(coupon, userId, 0)) !== null;
    },

    /** Whether a global slot may be free (advisory, for quotes: `redeem` decides). */
    globalHasRoom(coupon: Coupon): Promise<boolean> {
      return globalMayHaveRoom(coupon, () => markers.countDocuments({ couponId: coupon.id }));
    },
  };
}

export type Redemptions = ReturnType<typeof createRedemptions>;
