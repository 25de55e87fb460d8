import type { Connection } from 'mongoose';
import type { AddressBookService } from '../addresses';
import type { Actor } from '../catalog';
import { type Clock, systemClock } from '../clock';
import {
  ConflictError,
  ForbiddenError,
  isDuplicateKeyError,
  NotFoundError,
  ValidationError,
} from '../errors';
import type { DomainEvents, EventBus } from '../events';
import type { Logger } from '../logger';
import type { MembershipService } from '../membership';
import type { OrderService } from '../orders';
import type { PromotionService } from '../promotions';
import type { UserService } from '../users';
import { createInviteCodes, normalizeInviteCode } from './codes';
import {
  markId,
  referralCollections,
  type ReferralDoc,
  type ReferralMarkDoc,
  type ReferralMarkKind,
} from './model';
import { mailboxKey, maskName, phoneKey, sharedSignals, type PersonFacts } from './signals';
import type {
  FlaggedReferral,
  InviteSummary,
  Referral,
  ReferralConfig,
  ReferralSignal,
  ReferralStatus,
} from './types';

const MARK_KINDS: readonly ReferralMarkKind[] = [
  'ordered',
  'qualified',
  'flagged',
  'decided',
  'outcome',
  'earned',
  'reversed',
];
type Marks = Partial<Record<ReferralMarkKind, ReferralMarkDoc>>;

/** The sign-up field an invite code arrives in (errors name it). */
export const INVITE_FIELD = 'body.invite';
const inviteIssue = (message: string) => new ValidationError([{ field: INVITE_FIELD, message }], message);

/** The membership ledger reference of an invitee's reward (and of its reversal). */
export const rewardRef = (inviteeId: string) => `referral:${inviteeId}`;

function statusOf(marks: Marks): ReferralStatus {
  if (marks.reversed || marks.outcome?.outcome === 'void') return 'reversed';
  if (marks.outcome?.outcome === 'rewarded') return 'rewarded';
  if (marks.decided?.decision === 'rejected') return 'rejected';
  if (marks.flagged && !marks.decided) return 'flagged';
  if (marks.ordered || marks.qualified) return 'ordered';
  return 'joined';
}

function toReferral(doc: ReferralDoc, marks: Marks): Referral {
  const rewarded = marks.outcome?.outcome === 'rewarded' ? marks.outcome : null;
  return {
    inviteeId: doc._id,
    inviterId: doc.inviterId,
    inviteeName: doc.inviteeName,
    code: doc.code,
    joinedAt: doc.joinedAt,
    status: statusOf(marks),
    firstOrderAt: marks.ordered?.at ?? marks.qualified?.at ?? null,
    qualifyingOrderId: marks.qualified?.orderId ?? null,
    pointsEarned: rewarded && !marks.reversed ? (rewarded.points ?? 0) : 0,
    rewardedAt: rewarded?.at ?? null,
    reversedAt: marks.reversed?.at ?? (marks.outcome?.outcome === 'void' ? marks.outcome.at : null),
    flag: marks.flagged ? { signals: marks.flagged.signals ?? [], at: marks.flagged.at } : null,
    decision:
      marks.decided && marks.decided.decision
        ? {
            decision: marks.decided.decision,
            by: marks.decided.by ?? '',
            note: marks.decided.note,
            at: marks.decided.at,
          }
        : null,
    welcomeCouponCode: doc.welcomeCouponCode,
  };
}

/**
 * Referral rewards (用户推荐). Every account has an invite code; a shopper who signs up with one gets a
 * welcome coupon only they can use; the inviter earns points when the invitee's first order completes and
 * loses them if that order is refunded. It follows `order.status_changed` (core never calls it).
 *
 * Every invariant is a unique-key insert: the code claim, the inviter's cap (slots `<inviter>:1..cap`),
 * one inviter per invitee, and each step of a referral (model.ts) — so a repeated or concurrent event,
 * on one process or several, rewards once, and a reward and a refund racing settle on one outcome.
 */
export function createReferralService(deps: {
  connection: Connection;
  bus: EventBus;
  log: Logger;
  config: ReferralConfig;
  clock?: Clock;
  users: Pick<UserService, 'getUser'>;
  addresses: Pick<AddressBookService, 'list'>;
  orders: Pick<OrderService, 'get'>;
  membership: Pick<MembershipService, 'earn' | 'earned' | 'revoke'>;
  promotions: Pick<PromotionService, 'grantPersonalCoupon'>;
  /**
   * Fingerprints of the payers behind a shopper's payments (a card or wallet account), from a payment
   * provider that reports them. The sandbox provider reports none, so no payment is ever shared there.
   */
  payersOf?: (userId: string) => Promise<string[]>;
}) {
  const clock = deps.clock ?? systemClock;
  const collections = referralCollections(deps.connection);
  const { slots, referrals, marks } = collections;
  const codes = createInviteCodes({ collections, clock });

  async function marksOf(inviteeId: string): Promise<Marks> {
    const found = await Promise.all(
      MARK_KINDS.map((kind) => marks.findOne({ _id: markId(inviteeId, kind) })),
    );
    const out: Marks = {};
    for (const mark of found) if (mark) out[mark.kind] = mark;
    return out;
  }

  /** Inserts a mark; if it exists already, returns the one that was there first. */
  async function mark(
    doc: ReferralDoc,
    kind: ReferralMarkKind,
    fields: Partial<Omit<ReferralMarkDoc, '_id' | 'kind' | 'inviteeId' | 'inviterId'>> = {},
  ): Promise<{ mark: ReferralMarkDoc; inserted: boolean }> {
    const entry: ReferralMarkDoc = {
      _id: markId(doc._id, kind),
      inviteeId: doc._id,
      inviterId: doc.inviterId,
      kind,
      orderId: null,
      signals: null,
      decision: null,
      outcome: null,
      points: null,
      by: null,
      note: '',
      at: clock(),
      ...fields,
    };
    try {
      await marks.insertOne(entry);
      return { mark: entry, inserted: true };
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      return { mark: (await marks.findOne({ _id: entry._id }))!, inserted: false };
    }
  }

  async function factsOf(userId: string, extra: PersonFacts['addresses'] = []): Promise<PersonFacts> {
    const [user, book, payers] = await Promise.all([
      deps.users.getUser(userId),
      deps.addresses.list(userId),
      deps.payersOf?.(userId) ?? Promise.resolve([]),
    ]);
    return { phone: user?.phone ?? null, addresses: [...book.items, ...extra], payers };
  }

  /** Flags the referral (once) if the invitee shares an address, phone or payer with the inviter. */
  async function checkSharing(doc: ReferralDoc, orderId: string | null): Promise<void> {
    // Once rewarded or voided there is nothing left to hold: a later order is no reason for support.
    if (await marks.findOne({ _id: markId(doc._id, 'outcome') })) return;
    let delivery: PersonFacts['addresses'] = [];
    if (orderId) {
      const order = await deps.orders.get(orderId);
      if (order.delivery.address) delivery = [order.delivery.address];
    }
    const [invitee, inviter] = await Promise.all([factsOf(doc._id, delivery), factsOf(doc.inviterId)]);
    const signals = sharedSignals(invitee, inviter);
    if (signals.length) {
      const { inserted } = await mark(doc, 'flagged', { signals, orderId });
      if (inserted)
        deps.log.info(
          { inviteeId: doc._id, inviterId: doc.inviterId, signals },
          'referral flagged for support',
        );
    }
  }

  /** Takes back the inviter's points of a rewarded referral, once (by its ledger reference). */
  async function revokeReward(doc: ReferralDoc, points: number): Promise<void> {
    await deps.membership.revoke(
      doc.inviterId,
      points,
      rewardRef(doc._id),
      `Invite: ${doc.inviteeName}'s first order was refunded`,
    );
  }

  /**
   * Earns the inviter's points if the referral qualified and nothing holds it back. Idempotent, and it
   * finishes a reward whose run died between the `rewarded` outcome and the earn (any later call: the
   * completion delivered again, or support's decision).
   *
   * A refund racing it: the reward earns and then looks for `reversed`; the reversal writes `reversed`
   * and then asks whether the points were earned. Whichever comes second sees the other, so an earn that
   * lands after the reversal looked is taken back here (revoke is once per reference, so never twice).
   */
  async function reward(doc: ReferralDoc): Promise<void> {
    const state = await marksOf(doc._id);
    if (!state.qualified) return;
    if (!state.outcome) {
      if (state.flagged && state.decided?.decision !== 'cleared') return;
      state.outcome = (
        await mark(doc, 'outcome', {
          outcome: 'rewarded',
          points: deps.config.inviterPoints,
          orderId: state.qualified.orderId,
        })
      ).mark;
    }
    const outcome = state.outcome;
    if (outcome.outcome !== 'rewarded' || !outcome.points || state.reversed || state.earned) return;
    await deps.membership.earn(
      doc.inviterId,
      outcome.points,
      rewardRef(doc._id),
      `Invite: ${doc.inviteeName} completed a first order`,
    );
    await mark(doc, 'earned', { orderId: outcome.orderId, points: outcome.points });
    if (await marks.findOne({ _id: markId(doc._id, 'reversed') })) await revokeReward(doc, outcome.points);
  }

  /**
   * The qualifying order was refunded: no reward from now on, and one already given is taken back —
   * only if it was given (a run that died after the `rewarded` outcome never earned). Idempotent.
   */
  async function reverse(doc: ReferralDoc, orderId: string): Promise<void> {
    const qualified = await marks.findOne({ _id: markId(doc._id, 'qualified') });
    if (qualified?.orderId !== orderId) return;
    const { mark: outcome } = await mark(doc, 'outcome', { outcome: 'void', orderId });
    if (outcome.outcome !== 'rewarded' || !outcome.points) return;
    // Written first, so that a reward still on its way sees it after its earn (see `reward`).
    await mark(doc, 'reversed', { orderId, points: outcome.points });
    const earned =
      (await marks.findOne({ _id: markId(doc._id, 'earned') })) !== null ||
      (await deps.membership.earned(doc.inviterId, rewardRef(doc._id)));
    if (earned) await revokeReward(doc, outcome.points);
  }

  async function applyOrderEvent(e: DomainEvents['order.status_changed']): Promise<void> {
    const doc = await referrals.findOne({ _id: e.buyerId });
    if (!doc) return;
    if (e.event === 'created') {
      await mark(doc, 'ordered', { orderId: e.orderId });
      await checkSharing(doc, e.orderId);
    } else if (e.event === 'status' && e.status === 'completed') {
      // The first completion qualifies; a later order of the same invitee finds the mark taken.
      const { mark: qualified } = await mark(doc, 'qualified', { orderId: e.orderId });
      if (qualified.orderId !== e.orderId) return;
      await checkSharing(doc, e.orderId);
      await reward(doc);
    } else if (e.event === 'status' && e.status === 'refunded') await reverse(doc, e.orderId);
  }

  async function inviterOf(code: string): Promise<string> {
    const typed = code.trim();
    if (!normalizeInviteCode(typed)) throw inviteIssue(`${typed || 'That'} is not an invite code`);
    const inviterId = await codes.ownerOf(typed);
    if (!inviterId) throw inviteIssue(`There is no invite with the code ${typed.toUpperCase()}`);
    return inviterId;
  }

  /** Refuses an invite to oneself: the same account, mailbox or phone. */
  async function refuseSelfInvite(
    inviterId: string,
    invitee: { id?: string; email: string; phone?: string | null },
  ): Promise<void> {
    if (invitee.id === inviterId) throw inviteIssue('You cannot use your own invite code');
    const inviter = await deps.users.getUser(inviterId);
    if (!inviter) throw inviteIssue('This invite is no longer valid');
    const samePhone = phoneKey(invitee.phone) !== null && phoneKey(invitee.phone) === phoneKey(inviter.phone);
    if (mailboxKey(inviter.email) === mailboxKey(invitee.email) || samePhone)
      throw inviteIssue('You cannot use your own invite code');
  }

  /** Takes the first free slot `<inviter>:<n>`, n ≤ cap, or null when all are taken. */
  async function takeSlot(inviterId: string, inviteeId: string): Promise<number | null> {
    for (let n = 1; n <= deps.config.maxInvites; n++) {
      try {
        await slots.insertOne({ _id: `${inviterId}:${n}`, inviterId, inviteeId, at: clock() });
        return n;
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
        const holder = await slots.findOne({ _id: `${inviterId}:${n}` });
        if (holder?.inviteeId === inviteeId) return n; // our own slot, from an earlier try
      }
    }
    return null;
  }

  async function summaryOf(userId: string): Promise<InviteSummary> {
    const code = await codes.codeOf(userId);
    const [docs, allMarks] = await Promise.all([
      referrals.find({ inviterId: userId }).toArray(),
      marks.find({ inviterId: userId }).toArray(),
    ]);
    const byInvitee = new Map<string, Marks>();
    for (const m of allMarks) {
      const set = byInvitee.get(m.inviteeId) ?? {};
      set[m.kind] = m;
      byInvitee.set(m.inviteeId, set);
    }
    const list = docs
      .map((d) => toReferral(d, byInvitee.get(d._id) ?? {}))
      .sort((a, b) => b.joinedAt.getTime() - a.joinedAt.getTime() || (a.inviteeId < b.inviteeId ? -1 : 1));
    return {
      code,
      path: `/register?invite=${code}`,
      maxInvites: deps.config.maxInvites,
      inviterPoints: deps.config.inviterPoints,
      welcomeCouponFen: deps.config.welcomeCoupon.valueFen,
      invited: list.length,
      pointsEarned: list.reduce((sum, r) => sum + r.pointsEarned, 0),
      referrals: list,
    };
  }

  function requireStaff(actor: Actor): void {
    if (!actor.roles.includes('admin') && !actor.roles.includes('support'))
      throw new ForbiddenError('Only support staff review referrals');
  }

  return {
    /** The account's invite code (made on first call). */
    inviteCode: (userId: string) => codes.codeOf(userId),

    /** The inviter's code, link, cap and every invitee with their status and points. */
    summary: summaryOf,

    /**
     * Checks an invite code before an account is made with it: 422 naming `body.invite` for a code that
     * does not exist or is the person's own (same mailbox or phone). Returns the inviter.
     */
    async checkInvite(code: string, invitee: { email: string; phone?: string | null }): Promise<string> {
      const inviterId = await inviterOf(code);
      await refuseSelfInvite(inviterId, invitee);
      return inviterId;
    },

    /**
     * Records that `invitee` joined with `code`: takes one of the inviter's slots (422 when the cap is
     * reached), gives the invitee the welcome coupon, and writes the referral. Idempotent per invitee.
     */
    async join(
      invitee: { id: string; name: string; email: string; phone?: string | null },
      code: string,
    ): Promise<Referral> {
      const existing = await referrals.findOne({ _id: invitee.id });
      if (existing) return toReferral(existing, await marksOf(invitee.id));
      const inviterId = await inviterOf(code);
      await refuseSelfInvite(inviterId, invitee);
      const slot = await takeSlot(inviterId, invitee.id);
      if (slot === null) throw inviteIssue('This invite code has been used as often as it can be');
      const { welcomeCoupon } = deps.config;
      const coupon = await deps.promotions.grantPersonalCoupon(invitee.id, {
        key: `referral-welcome:${invitee.id}`,
        codePrefix: 'WELCOME',
        kind: 'fixed',
        value: welcomeCoupon.valueFen,
        minSpend: welcomeCoupon.minSpendFen,
        endsAt: new Date(clock().getTime() + welcomeCoupon.days * 86_400_000),
        description:
          '邀请有礼新人券，首单可用 · Welcome gift for joining through an invite, for your first order',
      });
      const doc: ReferralDoc = {
        _id: invitee.id,
        inviterId,
        code: normalizeInviteCode(code)!,
        slot,
        inviteeName: maskName(invitee.name),
        welcomeCouponCode: coupon.code,
        joinedAt: clock(),
      };
      try {
        await referrals.insertOne(doc);
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
        const first = (await referrals.findOne({ _id: invitee.id }))!;
        return toReferral(first, await marksOf(invitee.id));
      }
      return toReferral(doc, {});
    },

    /** The referral an account joined through, if any. */
    async referralOf(inviteeId: string): Promise<Referral | null> {
      const doc = await referrals.findOne({ _id: inviteeId });
      return doc ? toReferral(doc, await marksOf(inviteeId)) : null;
    },

    /** Reacts to one order event (also what `start` subscribes); safe to call again with the same event. */
    applyOrderEvent,

    /** Flagged referrals for support: undecided first, then decided ones (newest first). */
    async flagged(actor: Actor, opts: { limit?: number } = {}): Promise<FlaggedReferral[]> {
      requireStaff(actor);
      const limit = Math.max(1, Math.min(500, opts.limit ?? 200));
      const flags = await marks.find({ kind: 'flagged' }).toArray();
      const items = await Promise.all(
        flags.map(async (flag) => {
          const doc = await referrals.findOne({ _id: flag.inviteeId });
          if (!doc) return null;
          const [state, inviter, invitee] = await Promise.all([
            marksOf(doc._id),
            deps.users.getUser(doc.inviterId),
            deps.users.getUser(doc._id),
          ]);
          return {
            ...toReferral(doc, state),
            inviterName: inviter?.name ?? '',
            inviterEmail: inviter?.email ?? '',
            inviteeFullName: invitee?.name ?? '',
            inviteeEmail: invitee?.email ?? '',
          } satisfies FlaggedReferral;
        }),
      );
      return items
        .filter((r): r is FlaggedReferral => r !== null)
        .sort(
          (a, b) =>
            Number(a.decision !== null) - Number(b.decision !== null) ||
            b.flag!.at.getTime() - a.flag!.at.getTime(),
        )
        .slice(0, limit);
    },

    /**
     * Support clears a flagged referral (the reward follows if its order completed and was not refunded)
     * or rejects it (no reward). One decision per referral: a second answers 409.
     */
    async decide(
      actor: Actor,
      inviteeId: string,
      decision: 'cleared' | 'rejected',
      note = '',
    ): Promise<Referral> {
      requireStaff(actor);
      const doc = await referrals.findOne({ _id: inviteeId });
      if (!doc) throw new NotFoundError('Referral');
      const state = await marksOf(inviteeId);
      if (!state.flagged) throw new ConflictError('This referral is not flagged');
      const { mark: decided, inserted } = await mark(doc, 'decided', {
        decision,
        by: actor.id,
        note: note.slice(0, 500),
      });
      if (!inserted && decided.decision !== decision)
        throw new ConflictError(`This referral was already ${decided.decision}`, {
          decision: decided.decision,
        });
      if (decision === 'cleared') await reward(doc);
      return toReferral(doc, await marksOf(inviteeId));
    },

    /** Follows the orders' events published by this process (each event once in the cluster). */
    start(): () => void {
      return deps.bus.subscribe(
        'order.status_changed',
        async (e) => {
          try {
            await applyOrderEvent(e);
          } catch (err) {
            deps.log.error(
              { err, orderId: e.orderId, version: e.version },
              'referrals: order event not applied',
            );
          }
        },
        { origin: 'local' },
      );
    },
  };
}

export type ReferralService = ReturnType<typeof createReferralService>;
export type { ReferralSignal };
