import type { Connection } from 'mongoose';
import type { Actor } from '../catalog';
import {
  ConflictError,
  ForbiddenError,
  isDuplicateKeyError,
  NotFoundError,
  ValidationError,
} from '../errors';
import { newId } from '../ids';
import { isAudience, normalizeCouponInput } from './coupon-input';
import { couponCodes, couponModel, redeemedMarkers, type CouponDoc } from './model';
import { createRedemptions, isInWindow, redemptionKey } from './redemptions';
import { splitProportionally } from '../money';
import type {
  Coupon,
  CouponAudience,
  CouponInput,
  CouponQuote,
  PersonalCouponInput,
  RedeemResult,
} from './types';
import { createHash } from 'node:crypto';
import { type Clock, systemClock } from '../clock';

const yuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`;
const day = (at: Date) => at.toISOString().slice(0, 10);

function toCoupon(doc: CouponDoc): Coupon {
  return {
    id: doc._id,
    code: doc.code,
    kind: doc.kind,
    value: doc.value,
    maxDiscount: doc.maxDiscount ?? null,
    minSpend: doc.minSpend ?? 0,
    startsAt: doc.startsAt,
    endsAt: doc.endsAt ?? null,
    usageLimit: doc.usageLimit ?? null,
    perUserLimit: doc.perUserLimit ?? null,
    funding: doc.funding,
    sellerId: doc.sellerId ?? null,
    active: doc.active,
    description: doc.description ?? '',
    audience: doc.audience?.segment ? { segment: doc.audience.segment } : null,
    forUserId: doc.forUserId ?? null,
    createdAt: doc.createdAt,
  };
}

function couponIssue(message: string): ValidationError {
  return new ValidationError([{ field: 'body.couponCode', message }], message);
}

/** Why a shopper outside a coupon's audience cannot use it. */
export function audienceMessage(coupon: Pick<Coupon, 'code' | 'funding' | 'audience'>): string {
  const whose = coupon.funding === 'seller' ? "this shop's" : "the marketplace's";
  return `The coupon ${coupon.code} is only for ${whose} customers in the segment "${coupon.audience?.segment ?? ''}"`;
}

/** The discount of `coupon` on `base` fen: percent floored and capped, fixed at most the base. */
export function discountOn(coupon: Pick<Coupon, 'kind' | 'value' | 'maxDiscount'>, base: number): number {
  if (base <= 0) return 0;
  if (coupon.kind === 'fixed') return Math.min(coupon.value, base);
  const off = Math.floor((base * coupon.value) / 100);
  return coupon.maxDiscount === null ? off : Math.min(off, coupon.maxDiscount);
}

/**
 * Coupons: admins fund platform coupons on the whole cart, sellers fund coupons on their own items.
 * Codes are claimed by unique `_id` inserts; redemptions hold unique slots (redemptions.ts), so limits
 * hold across processes on MongoDB and FerretDB alike.
 */
export function createPromotionService(deps: {
  connection: Connection;
  clock?: Clock;
  /**
   * Whether a shopper is in a customer segment of a scope (a seller's id, or `platform`) today: the
   * analytics rollups, given by the app. Without it, a coupon with an audience is refused to everyone.
   */
  audience?: { isMember(scope: string, segment: string, userId: string): Promise<boolean> };
}) {
  const Coupons = couponModel(deps.connection);
  const codes = couponCodes(deps.connection);
  const clock = deps.clock ?? systemClock;

  async function loadCoupon(couponId: string): Promise<Coupon | null> {
    const doc = await Coupons.findById(couponId).lean<CouponDoc>();
    return doc ? toCoupon(doc) : null;
  }

  const redemptions = createRedemptions({ connection: deps.connection, clock, loadCoupon });

  async function requireOwned(actor: Actor, couponId: string): Promise<Coupon> {
    const coupon = await loadCoupon(couponId);
    if (!coupon) throw new NotFoundError('Coupon');
    if (actor.roles.includes('admin')) return coupon;
    if (coupon.funding !== 'seller' || coupon.sellerId !== actor.id || !actor.roles.includes('seller'))
      throw new ForbiddenError('You can only change your own coupons');
    return coupon;
  }

  /** Whether `userId` is in the coupon's audience (everyone is when it has none). */
  async function inAudience(coupon: Coupon, userId: string): Promise<boolean> {
    if (!coupon.audience) return true;
    const scope = coupon.funding === 'seller' ? (coupon.sellerId ?? '') : 'platform';
    return (await deps.audience?.isMember(scope, coupon.audience.segment, userId)) ?? false;
  }

  async function findByCode(code: string): Promise<Coupon | null> {
    const claim = await codes.findOne({ _id: code.trim().toUpperCase() });
    if (!claim) return null;
    return (await loadCoupon(claim.couponId)) ?? (await completeCreation(claim.coupon));
  }

  /** Inserts the coupon a claim was made for, if its creator died between the two inserts. */
  async function completeCreation(doc: CouponDoc): Promise<Coupon> {
    try {
      await Coupons.collection.insertOne(doc as never);
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
    }
    return toCoupon(doc);
  }

  return {
    async createCoupon(actor: Actor, input: CouponInput): Promise<Coupon> {
      const isAdmin = actor.roles.includes('admin');
      if (!isAdmin && !actor.roles.includes('seller'))
        throw new ForbiddenError('Only sellers and admins create coupons');
      const now = clock();
      const fields = normalizeCouponInput(input, now);
      const doc: CouponDoc = {
        _id: newId('cpn'),
        ...fields,
        funding: isAdmin ? 'platform' : 'seller',
        sellerId: isAdmin ? null : actor.id,
        active: true,
        createdAt: now,
      };
      // The claim carries the whole coupon, so a creation cut short after it is completed on next read.
      try {
        await codes.insertOne({ _id: doc.code, couponId: doc._id, coupon: doc, at: now });
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
        const claim = await codes.findOne({ _id: doc.code });
        if (claim && !(await loadCoupon(claim.couponId))) await completeCreation(claim.coupon);
        throw new ConflictError(`The code ${doc.code} is already in use`, {
          fields: [{ field: 'body.code', message: 'already in use' }],
        });
      }
      // A rival that lost the code between our two inserts may already have completed this coupon for us.
      return completeCreation(doc);
    },

    async listCoupons(actor: Actor): Promise<(Coupon & { redeemed: number })[]> {
      let docs: CouponDoc[];
      if (actor.roles.includes('admin')) docs = await Coupons.find().lean<CouponDoc[]>();
      else if (actor.roles.includes('seller'))
        docs = await Coupons.find({ sellerId: actor.id }).lean<CouponDoc[]>();
      else throw new ForbiddenError('Only sellers and admins manage coupons');
      const counts = await redemptions.countsByCoupon();
      return docs
        .map((doc) => ({ ...toCoupon(doc), redeemed: counts.get(doc._id) ?? 0 }))
        .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? -1 : 1));
    },

    async setCouponActive(actor: Actor, couponId: string, active: boolean): Promise<Coupon> {
      const coupon = await requireOwned(actor, couponId);
      if (coupon.active !== active) await Coupons.updateOne({ _id: couponId }, { $set: { active } });
      return { ...coupon, active };
    },

    async availableFor(userId: string): Promise<(Coupon & { remainingForYou: number })[]> {
      const now = clock();
      const docs = await Coupons.find({ active: true }).lean<CouponDoc[]>();
      const live = docs
        .map(toCoupon)
        .filter((c) => isInWindow(c, now) && (c.forUserId === null || c.forUserId === userId));
      if (!live.length) return [];
      const [all, mine] = await Promise.all([
        redemptions.countsByCoupon(),
        redemptions.countsByCoupon({ userId }),
      ]);
      const items: (Coupon & { remainingForYou: number })[] = [];
      for (const coupon of live) {
        const left = [
          coupon.usageLimit === null ? null : coupon.usageLimit - (all.get(coupon.id) ?? 0),
          coupon.perUserLimit === null ? null : coupon.perUserLimit - (mine.get(coupon.id) ?? 0),
        ].filter((n): n is number => n !== null);
        const remainingForYou = left.length ? Math.min(...left) : Number.MAX_SAFE_INTEGER;
        if (remainingForYou > 0) items.push({ ...coupon, remainingForYou });
      }
      return items.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? -1 : 1));
    },

    async quote(
      code: string,
      ctx: { userId: string; subtotalsBySeller: Record<string, number> },
    ): Promise<CouponQuote> {
      const typed = typeof code === 'string' ? code.trim() : '';
      if (!typed) throw couponIssue('Enter a coupon code');
      for (const [sellerId, subtotal] of Object.entries(ctx.subtotalsBySeller)) {
        if (!Number.isSafeInteger(subtotal) || subtotal < 0)
          throw new ValidationError([
            { field: `subtotalsBySeller.${sellerId}`, message: 'a whole number of fen, 0 or more' },
          ]);
      }
      const found = await findByCode(typed);
      // Someone else's personal coupon does not exist for this shopper (its code says nothing about them).
      const coupon = found && (found.forUserId === null || found.forUserId === ctx.userId) ? found : null;
      if (!coupon) throw couponIssue(`There is no coupon with the code ${typed.toUpperCase()}`);
      const now = clock();
      if (!coupon.active) throw couponIssue(`The coupon ${coupon.code} is not active`);
      if (now < coupon.startsAt)
        throw couponIssue(`The coupon ${coupon.code} can be used from ${day(coupon.startsAt)}`);
      if (coupon.endsAt !== null && now >= coupon.endsAt)
        throw couponIssue(`The coupon ${coupon.code} expired on ${day(coupon.endsAt)}`);
      if (!(await inAudience(coupon, ctx.userId))) throw couponIssue(audienceMessage(coupon));

      const subtotals =
        coupon.funding === 'seller'
          ? { [coupon.sellerId ?? '']: ctx.subtotalsBySeller[coupon.sellerId ?? ''] ?? 0 }
          : ctx.subtotalsBySeller;
      const base = Object.values(subtotals).reduce((sum, n) => sum + n, 0);
      if (base === 0)
        throw couponIssue(
          coupon.funding === 'seller'
            ? `The coupon ${coupon.code} is for one shop's items, and none of them is in your order`
            : 'Your order is empty',
        );
      if (base < coupon.minSpend)
        throw couponIssue(
          `Spend ${yuan(coupon.minSpend - base)} more to use ${coupon.code} (minimum ${yuan(coupon.minSpend)}` +
            `${coupon.funding === 'seller' ? " of this shop's items" : ''})`,
        );
      if (!(await redemptions.globalHasRoom(coupon)))
        throw couponIssue(`The coupon ${coupon.code} has been fully redeemed`);
      if (!(await redemptions.userHasRoom(coupon, ctx.userId)))
        throw couponIssue(
          coupon.perUserLimit === 1
            ? `You have already used the coupon ${coupon.code}`
            : `You have used the coupon ${coupon.code} ${coupon.perUserLimit} times, the most allowed`,
        );

      const total = discountOn(coupon, base);
      return {
        couponId: coupon.id,
        code: coupon.code,
        funding: coupon.funding,
        sellerId: coupon.sellerId,
        discountBySeller: splitProportionally(total, subtotals),
        total,
        description: coupon.description,
      };
    },

    async redeem(couponId: string, r: { userId: string; redemptionId: string }): Promise<RedeemResult> {
      const coupon = await loadCoupon(couponId);
      if (coupon?.forUserId && coupon.forUserId !== r.userId) return { ok: false, reason: 'audience' };
      // The audience is checked again (a shopper may have left the segment since the quote), except for
      // a redemption already held: a retried checkout step gets the answer it got the first time.
      if (coupon && !(await inAudience(coupon, r.userId))) {
        const held = await redeemedMarkers(deps.connection).findOne({
          _id: redemptionKey(couponId, r.redemptionId),
        });
        if (!held) return { ok: false, reason: 'audience' };
      }
      return redemptions.redeem(couponId, r);
    },

    /**
     * Sets or clears who may use a coupon (its owner or an admin). Returns the audience before, for the
     * audit log.
     */
    async setAudience(
      actor: Actor,
      couponId: string,
      audience: CouponAudience | null,
    ): Promise<{ coupon: Coupon; before: CouponAudience | null }> {
      if (audience !== null && !isAudience(audience))
        throw new ValidationError([{ field: 'body.audience.segment', message: 'not a customer segment' }]);
      const coupon = await requireOwned(actor, couponId);
      const next = audience && { segment: audience.segment };
      await Coupons.updateOne({ _id: couponId }, { $set: { audience: next } });
      return { coupon: { ...coupon, audience: next }, before: coupon.audience };
    },

    /**
     * Gives one account a platform-funded coupon only they can see and use (once, by default): a
     * referral's welcome coupon. Idempotent by `input.key`: the code is derived from it, so a repeated
     * grant (a retried sign-up step) finds the coupon the first one made instead of making a second.
     */
    async grantPersonalCoupon(userId: string, input: PersonalCouponInput): Promise<Coupon> {
      const digest = createHash('sha256').update(input.key).digest('hex').slice(0, 10).toUpperCase();
      const prefix =
        input.codePrefix
          .toUpperCase()
          .replace(/[^A-Z0-9]/g, '')
          .slice(0, 16) || 'GIFT';
      const now = clock();
      const fields = normalizeCouponInput(
        {
          code: `${prefix}-${digest}`,
          kind: input.kind,
          value: input.value,
          maxDiscount: input.maxDiscount ?? null,
          minSpend: input.minSpend ?? 0,
          startsAt: now,
          endsAt: input.endsAt ?? null,
          usageLimit: 1,
          perUserLimit: 1,
          description: input.description ?? '',
          audience: null,
        },
        now,
      );
      const doc: CouponDoc = {
        _id: newId('cpn'),
        ...fields,
        funding: 'platform',
        sellerId: null,
        active: true,
        forUserId: userId,
        createdAt: now,
      };
      try {
        await codes.insertOne({ _id: doc.code, couponId: doc._id, coupon: doc, at: now });
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
        const existing = await findByCode(doc.code);
        if (existing?.forUserId !== userId) throw new ConflictError(`The code ${doc.code} is already in use`);
        return existing;
      }
      return completeCreation(doc);
    },

    release(couponId: string, r: { userId: string; redemptionId: string }): Promise<void> {
      return redemptions.release(couponId, r);
    },

    /** The coupons a person redeemed (the account export). */
    async redeemedBy(userId: string): Promise<{ couponId: string; code: string | null; at: Date }[]> {
      const marks = await redeemedMarkers(deps.connection).find({ userId }).toArray();
      const coupons = await Promise.all(marks.map((m) => loadCoupon(m.couponId).catch(() => null)));
      return marks.map((m, i) => ({ couponId: m.couponId, code: coupons[i]?.code ?? null, at: m.at }));
    },

    redemptionCount(couponId: string): Promise<number> {
      return redemptions.redemptionCount(couponId);
    },
  };
}

export type PromotionService = ReturnType<typeof createPromotionService>;
