import type { Connection } from 'mongoose';
import { isDuplicateKeyError, isTransientStoreError as isTransient } from '../errors';
import { slotCursors, slotLedger, type SlotEntryDoc } from './model';
import type { Coupon } from './types';
import { type Clock } from '../clock';

/** Global slots probed upward from the cursor before falling back to a scan for free ones. */
const SEQUENTIAL_PROBES = 8;

export const globalSlotKey = (couponId: string, n: number) => `${couponId}:g:${n}`;
export const userSlotKey = (couponId: string, userId: string, n: number) => `${couponId}:u:${userId}:${n}`;

export type SlotRef = Pick<SlotEntryDoc, 'slotKey' | 'couponId' | 'kind' | 'n' | 'userId'>;

export interface GlobalTarget {
  slot: number;
  pass: 'seq' | 'scan';
  probes: number;
}

/**
 * The slots redemptions hold (model.ts): taking and freeing them by token, and finding the next one
 * worth targeting with `_id` reads, so that a redemption step is only written for a slot that was
 * free a moment ago.
 */
export function createSlots(deps: { connection: Connection; clock: Clock }) {
  const slots = slotLedger(deps.connection, deps.clock);
  const slotHeads =
    deps.connection.collection<Pick<SlotEntryDoc, 'couponId' | 'kind' | 'n' | 'holder'>>('coupon_slot_heads');
  const cursors = slotCursors(deps.connection);

  const globalSlot = (couponId: string, n: number): SlotRef => ({
    slotKey: globalSlotKey(couponId, n),
    couponId,
    kind: 'g',
    n,
    userId: null,
  });
  const userSlot = (couponId: string, userId: string, n: number): SlotRef => ({
    slotKey: userSlotKey(couponId, userId, n),
    couponId,
    kind: 'u',
    n,
    userId,
  });

  async function takeSlot(slot: SlotRef, token: string): Promise<boolean> {
    const result = await slots.append(slot.slotKey, (head) => {
      if (!head || head.holder === null) return { ...slot, holder: token };
      return head.holder === token ? 'unchanged' : null;
    });
    return result.status !== 'refused';
  }

  /** Frees a slot if (and only if) `token` holds it. */
  async function freeSlot(slotKey: string, token: string): Promise<boolean> {
    const result = await slots.append(slotKey, (head) => {
      if (!head || head.holder !== token) return null;
      const { _id: _i, version: _v, at: _a, ref: _r, ...fields } = head;
      return { ...fields, holder: null };
    });
    return result.status === 'appended';
  }

  async function looksFree(slotKey: string): Promise<boolean> {
    const head = await slots.latest(slotKey);
    return !head || head.holder === null;
  }

  /** The cursor is a hint (it may lag or regress; limits never depend on it), so a failed write is fine. */
  async function moveCursor(couponId: string, op: '$max' | '$min', next: number): Promise<void> {
    try {
      await cursors.updateOne({ _id: couponId }, { [op]: { next } }, { upsert: true });
    } catch (err) {
      if (!isDuplicateKeyError(err) && !isTransient(err)) throw err;
    }
  }

  /**
   * Global slots above `after` that the slot heads show free (or never used), in order. The heads are
   * hints that can lag, so each candidate is still read by `_id` before it is targeted.
   */
  async function* freeBySlotScan(coupon: Coupon, after: number): AsyncGenerator<number> {
    const limit = coupon.usageLimit ?? 0;
    if (after >= limit) return;
    const taken = new Set<number>();
    const heads = slotHeads
      .find({ couponId: coupon.id, kind: 'g', n: { $gt: after } })
      .project<{ n: number; holder: string | null }>({ _id: 0, n: 1, holder: 1 });
    for await (const head of heads) if (head.holder !== null) taken.add(head.n);
    for (let n = after + 1; n <= limit; n++) if (!taken.has(n)) yield n;
  }

  /**
   * The next global slot worth targeting, read by `_id` so that a step is only written for a slot that
   * was free a moment ago. `seq` probes upward from `from.next` for at most SEQUENTIAL_PROBES slots;
   * then, or in the `scan` pass, come the slots above `after` that a scan of the slot heads shows free.
   * The scan pass only moves up, so a redemption gives up after at most `usageLimit` targets.
   */
  async function findGlobalTarget(
    coupon: Coupon,
    from: { pass: 'seq'; next: number; probes: number } | { pass: 'scan'; after: number },
  ): Promise<GlobalTarget | null> {
    const limit = coupon.usageLimit ?? 0;
    let after = 0;
    if (from.pass === 'seq') {
      for (let n = from.next, probes = from.probes; n <= limit && probes < SEQUENTIAL_PROBES; n++) {
        probes++;
        if (await looksFree(globalSlotKey(coupon.id, n))) return { slot: n, pass: 'seq', probes };
      }
    } else {
      after = from.after;
    }
    for await (const n of freeBySlotScan(coupon, after))
      if (await looksFree(globalSlotKey(coupon.id, n))) return { slot: n, pass: 'scan', probes: 0 };
    return null;
  }

  /**
   * Starts at the cursor, a random few slots in, so that a crowd arriving at once spreads over the
   * free slots instead of all queueing for the same one.
   */
  async function firstGlobalTarget(coupon: Coupon): Promise<GlobalTarget | null> {
    const limit = coupon.usageLimit ?? 0;
    const cursor = Math.max(1, (await cursors.findOne({ _id: coupon.id }))?.next ?? 1);
    const spread = Math.max(1, Math.min(SEQUENTIAL_PROBES / 2, limit - cursor + 1));
    const next = cursor + Math.floor(Math.random() * spread);
    return findGlobalTarget(coupon, { pass: 'seq', next, probes: 0 });
  }

  /** The target after `last` was refused. */
  function nextGlobalTarget(
    coupon: Coupon,
    last: { slot: number; pass: 'seq' | 'scan' | null; probes: number },
  ): Promise<GlobalTarget | null> {
    return findGlobalTarget(
      coupon,
      last.pass === 'seq'
        ? { pass: 'seq', next: last.slot + 1, probes: last.probes }
        : { pass: 'scan', after: last.slot },
    );
  }

  /** The shopper's first slot above `after` that looks free (they are few: read them in order). */
  async function nextUserTarget(coupon: Coupon, userId: string, after: number): Promise<number | null> {
    for (let n = after + 1; n <= (coupon.perUserLimit ?? 0); n++)
      if (await looksFree(userSlotKey(coupon.id, userId, n))) return n;
    return null;
  }

  /** The holder token of a slot, or null when free. */
  async function holderOf(slotKey: string): Promise<string | null> {
    return (await slots.latest(slotKey))?.holder ?? null;
  }

  /**
   * Whether a global slot may be free: the cursor says so on the fast path (an `_id` read); past the
   * limit, `countHeld` decides. Advisory (for quotes): `redeem` decides.
   */
  async function globalMayHaveRoom(coupon: Coupon, countHeld: () => Promise<number>): Promise<boolean> {
    if (coupon.usageLimit === null) return true;
    const cursor = await cursors.findOne({ _id: coupon.id });
    if ((cursor?.next ?? 1) <= coupon.usageLimit) return true;
    return (await countHeld()) < coupon.usageLimit;
  }

  return {
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
  };
}
