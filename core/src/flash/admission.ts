import { randomBytes } from 'node:crypto';
import type { AdmissionSale, ClaimAnswer } from './types';

/**
 * The admission step of a flash sale: who may buy, answered without touching the document store. One
 * atomic step checks the window, the buyer's earlier claim and the remaining count, and either grants
 * a claim (a token valid for `claimMs`) or answers sold out / queued. Lapsed unpaid claims give their
 * units back to the pool inside that same atomic step (and in `sweep`), so each comes back exactly once.
 */
export interface AdmissionPort {
  /** Registers a sale; idempotent (never resets counts of a sale already known). */
  open(sale: AdmissionSale): Promise<void>;
  /** `unknown` when this sale was never opened here (the caller opens it and asks again). */
  claim(
    saleId: string,
    userId: string,
    qty: number,
    nowMs: number,
    claimMs: number,
  ): Promise<ClaimAnswer | 'unknown'>;
  /** What the buyer's token is worth now, without changing anything (checkout prices with it). */
  inspect(saleId: string, userId: string, token: string, nowMs: number): Promise<InspectAnswer>;
  /**
   * Ties the buyer's live claim (token) to one checkout: from then on it no longer lapses with the claim
   * window; only that checkout's payment (`consume`) or its end (`release`) settles it. Repeating it for
   * the same checkout answers `attached` again; any other checkout gets `used`.
   */
  attach(
    saleId: string,
    userId: string,
    token: string,
    checkoutId: string,
    nowMs: number,
  ): Promise<AttachAnswer>;
  /** The checkout was paid: the claim's units stay sold. True again on a repeat; false if not attached to it. */
  consume(saleId: string, userId: string, checkoutId: string): Promise<boolean>;
  /**
   * The checkout ended unpaid: the claim's units go back to the sale's pool (`pool`, once), or, when the
   * sale closed meanwhile, to normal stock (`stock`, answered on every repeat so the caller can finish
   * its exactly-once stock movement). `none` when there is nothing of this checkout to give back.
   */
  release(saleId: string, userId: string, checkoutId: string): Promise<ReleaseAnswer>;
  /** Returns lapsed claims to the pool; the remaining count after. */
  sweep(saleId: string, nowMs: number): Promise<number | null>;
  /**
   * Closes the sale: no more claims; claims not yet in a checkout are void. Returns the units neither sold
   * nor in an unpaid checkout, the same on every call (recorded at the first), so the caller can put
   * exactly that many back in stock; a checkout that ends unpaid afterwards `release`s its own to stock.
   */
  close(saleId: string): Promise<number | null>;
  remaining(saleId: string): Promise<number | null>;
}

export type AttachAnswer =
  | { status: 'attached'; qty: number }
  /** Already tied to another checkout, or paid. */
  | { status: 'used' }
  /** No live claim of this buyer with this token (never won, lapsed, or the sale closed). */
  | { status: 'none' };

export type InspectAnswer =
  | { status: 'live'; qty: number }
  | { status: 'used' }
  /** This buyer's token, but its window passed or the sale closed before it reached a checkout. */
  | { status: 'lapsed' }
  | { status: 'none' };

export type ReleaseAnswer = { to: 'pool' | 'stock'; qty: number } | { to: 'none' };

export const newToken = () => randomBytes(16).toString('base64url');

/** `claimed` lapses at `expiresAtMs`; `in_checkout` waits for its checkout; the rest are final. */
type ClaimState = 'claimed' | 'in_checkout' | 'paid' | 'released_to_pool' | 'released_to_stock';
interface MemoryClaim {
  token: string;
  qty: number;
  expiresAtMs: number;
  state: ClaimState;
  checkoutId: string | null;
}
interface MemorySale extends AdmissionSale {
  remaining: number;
  claims: Map<string, MemoryClaim>;
  unsold: number | null;
}

/** The embedded default (one app process): the same rules in memory, atomic because JS is single-threaded. */
export function createMemoryAdmission(): AdmissionPort {
  const sales = new Map<string, MemorySale>();

  function lapse(sale: MemorySale, nowMs: number) {
    for (const [userId, claim] of sale.claims) {
      if (claim.state !== 'claimed' || claim.expiresAtMs > nowMs) continue;
      sale.claims.delete(userId);
      sale.remaining += claim.qty;
    }
  }

  return {
    async open(sale) {
      if (!sales.has(sale.id))
        sales.set(sale.id, { ...sale, remaining: sale.quantity, claims: new Map(), unsold: null });
    },
    async claim(saleId, userId, qty, nowMs, claimMs) {
      const sale = sales.get(saleId);
      if (!sale) return 'unknown';
      if (sale.unsold !== null || nowMs >= sale.endsAtMs) return { status: 'ended', remaining: 0 };
      if (nowMs < sale.startsAtMs) return { status: 'not_started', remaining: sale.remaining };
      lapse(sale, nowMs);
      if (sale.claims.has(userId)) return { status: 'already_claimed', remaining: sale.remaining };
      if (sale.remaining < qty) {
        const pending = [...sale.claims.values()].some(
          (c) => c.state === 'claimed' || c.state === 'in_checkout',
        );
        return pending
          ? { status: 'queued', remaining: sale.remaining }
          : { status: 'sold_out', remaining: 0 };
      }
      const claim: MemoryClaim = {
        token: newToken(),
        qty,
        expiresAtMs: nowMs + claimMs,
        state: 'claimed',
        checkoutId: null,
      };
      sale.claims.set(userId, claim);
      sale.remaining -= qty;
      return {
        status: 'won',
        token: claim.token,
        qty,
        expiresAt: new Date(claim.expiresAtMs),
        remaining: sale.remaining,
      };
    },
    async inspect(saleId, userId, token, nowMs) {
      const sale = sales.get(saleId);
      const claim = sale?.claims.get(userId);
      if (!sale || !claim || claim.token !== token) return { status: 'none' };
      if (claim.state !== 'claimed') return { status: 'used' };
      if (sale.unsold !== null || claim.expiresAtMs <= nowMs) return { status: 'lapsed' };
      return { status: 'live', qty: claim.qty };
    },
    async attach(saleId, userId, token, checkoutId, nowMs) {
      const sale = sales.get(saleId);
      const claim = sale?.claims.get(userId);
      if (!sale || !claim || claim.token !== token) return { status: 'none' };
      if (claim.checkoutId === checkoutId && (claim.state === 'in_checkout' || claim.state === 'paid'))
        return { status: 'attached', qty: claim.qty };
      if (claim.state !== 'claimed') return { status: 'used' };
      if (sale.unsold !== null || claim.expiresAtMs <= nowMs) return { status: 'none' };
      claim.state = 'in_checkout';
      claim.checkoutId = checkoutId;
      return { status: 'attached', qty: claim.qty };
    },
    async consume(saleId, userId, checkoutId) {
      const claim = sales.get(saleId)?.claims.get(userId);
      if (!claim || claim.checkoutId !== checkoutId) return false;
      if (claim.state === 'in_checkout') claim.state = 'paid';
      return claim.state === 'paid';
    },
    async release(saleId, userId, checkoutId) {
      const sale = sales.get(saleId);
      const claim = sale?.claims.get(userId);
      if (!sale || !claim || claim.checkoutId !== checkoutId) return { to: 'none' };
      if (claim.state === 'released_to_stock') return { to: 'stock', qty: claim.qty };
      if (claim.state !== 'in_checkout') return { to: 'none' };
      // Closed meanwhile: the close left this unit out of what it returned, so it goes to stock now.
      if (sale.unsold !== null) {
        claim.state = 'released_to_stock';
        return { to: 'stock', qty: claim.qty };
      }
      claim.state = 'released_to_pool';
      sale.remaining += claim.qty;
      return { to: 'pool', qty: claim.qty };
    },
    async sweep(saleId, nowMs) {
      const sale = sales.get(saleId);
      if (!sale) return null;
      if (sale.unsold === null) lapse(sale, nowMs);
      return sale.remaining;
    },
    async close(saleId) {
      const sale = sales.get(saleId);
      if (!sale) return null;
      if (sale.unsold === null) {
        // Sold and in an unpaid checkout both stay out: a checkout that ends unpaid later returns its own.
        const taken = [...sale.claims.values()]
          .filter((c) => c.state === 'paid' || c.state === 'in_checkout')
          .reduce((n, c) => n + c.qty, 0);
        sale.unsold = sale.quantity - taken;
        sale.remaining = 0;
      }
      return sale.unsold;
    },
    async remaining(saleId) {
      return sales.get(saleId)?.remaining ?? null;
    },
  };
}
