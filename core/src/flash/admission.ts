import { randomBytes } from 'node:crypto';
import type { Redis } from '../redis';
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
  /** Marks the buyer's claim used (paid): its units stay sold. False for a wrong/lapsed token. */
  consume(saleId: string, userId: string, token: string, nowMs: number): Promise<boolean>;
  /** The buyer's live claim, if the token matches and has not lapsed. */
  check(saleId: string, userId: string, token: string, nowMs: number): Promise<{ qty: number } | null>;
  /** Returns lapsed claims to the pool; the remaining count after. */
  sweep(saleId: string, nowMs: number): Promise<number | null>;
  /**
   * Closes the sale: no more claims; unpaid claims are void. Returns the unsold count, the same on every
   * call (recorded at the first), so the caller can put exactly that many back in stock.
   */
  close(saleId: string): Promise<number | null>;
  remaining(saleId: string): Promise<number | null>;
}

const newToken = () => randomBytes(16).toString('base64url');

interface MemoryClaim {
  token: string;
  qty: number;
  expiresAtMs: number;
  paid: boolean;
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
      if (claim.paid || claim.expiresAtMs > nowMs) continue;
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
        const pending = [...sale.claims.values()].some((c) => !c.paid);
        return pending
          ? { status: 'queued', remaining: sale.remaining }
          : { status: 'sold_out', remaining: 0 };
      }
      const claim = { token: newToken(), qty, expiresAtMs: nowMs + claimMs, paid: false };
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
    async check(saleId, userId, token, nowMs) {
      const claim = sales.get(saleId)?.claims.get(userId);
      if (!claim || claim.token !== token || claim.paid || claim.expiresAtMs <= nowMs) return null;
      return { qty: claim.qty };
    },
    async consume(saleId, userId, token, nowMs) {
      const claim = sales.get(saleId)?.claims.get(userId);
      if (!claim || claim.token !== token || claim.paid || claim.expiresAtMs <= nowMs) return false;
      claim.paid = true;
      return true;
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
        const paid = [...sale.claims.values()].filter((c) => c.paid).reduce((n, c) => n + c.qty, 0);
        sale.unsold = sale.quantity - paid;
        sale.remaining = 0;
      }
      return sale.unsold;
    },
    async remaining(saleId) {
      return sales.get(saleId)?.remaining ?? null;
    },
  };
}

/*
 * Redis layout per sale: `flash:<id>` hash (window, limit, quantity, remaining, unsold once closed),
 * `flash:<id>:claims` hash (user → "token|qty|expiresAtMs|paid"), `flash:<id>:due` sorted set of
 * unpaid claims by expiry (member = user). Every step is one Lua script, so it is atomic across nodes.
 */
const LAPSE = `
local function lapse(meta, claims, due, now)
  local users = redis.call('ZRANGEBYSCORE', due, '-inf', now)
  for _, user in ipairs(users) do
    local c = redis.call('HGET', claims, user)
    if c then
      local _, _, qty = string.find(c, '^[^|]*|(%d+)|')
      redis.call('HDEL', claims, user)
      redis.call('HINCRBY', meta, 'remaining', tonumber(qty))
    end
    redis.call('ZREM', due, user)
  end
end
`;

const CLAIM = `${LAPSE}
local meta, claims, due = KEYS[1], KEYS[2], KEYS[3]
local now, user, qty, claimMs, token = tonumber(ARGV[1]), ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4]), ARGV[5]
local m = redis.call('HMGET', meta, 'startsAt', 'endsAt', 'unsold')
if not m[1] then return {'unknown'} end
if m[3] or now >= tonumber(m[2]) then return {'ended', 0} end
if now < tonumber(m[1]) then return {'not_started', tonumber(redis.call('HGET', meta, 'remaining'))} end
lapse(meta, claims, due, now)
local remaining = tonumber(redis.call('HGET', meta, 'remaining'))
if redis.call('HEXISTS', claims, user) == 1 then return {'already_claimed', remaining} end
if remaining < qty then
  if redis.call('ZCARD', due) > 0 then return {'queued', remaining} end
  return {'sold_out', 0}
end
local expires = now + claimMs
redis.call('HSET', claims, user, token .. '|' .. qty .. '|' .. expires .. '|0')
redis.call('ZADD', due, expires, user)
remaining = redis.call('HINCRBY', meta, 'remaining', -qty)
return {'won', remaining, token, expires}
`;

const CONSUME = `
local claims, due = KEYS[1], KEYS[2]
local user, token, now, commit = ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4]
local c = redis.call('HGET', claims, user)
if not c then return 0 end
local _, _, t, qty, expires, paid = string.find(c, '^([^|]*)|(%d+)|(%d+)|(%d)$')
if t ~= token or paid == '1' or tonumber(expires) <= now then return 0 end
if commit == '1' then
  redis.call('HSET', claims, user, t .. '|' .. qty .. '|' .. expires .. '|1')
  redis.call('ZREM', due, user)
end
return tonumber(qty)
`;

const SWEEP = `${LAPSE}
local meta, claims, due = KEYS[1], KEYS[2], KEYS[3]
if redis.call('EXISTS', meta) == 0 then return -1 end
if not redis.call('HGET', meta, 'unsold') then lapse(meta, claims, due, tonumber(ARGV[1])) end
return tonumber(redis.call('HGET', meta, 'remaining'))
`;

const CLOSE = `
local meta, claims, due = KEYS[1], KEYS[2], KEYS[3]
if redis.call('EXISTS', meta) == 0 then return -1 end
local unsold = redis.call('HGET', meta, 'unsold')
if unsold then return tonumber(unsold) end
local paid = 0
local all = redis.call('HVALS', claims)
for _, c in ipairs(all) do
  local _, _, qty, p = string.find(c, '^[^|]*|(%d+)|%d+|(%d)$')
  if p == '1' then paid = paid + tonumber(qty) end
end
unsold = tonumber(redis.call('HGET', meta, 'quantity')) - paid
redis.call('HSET', meta, 'unsold', unsold, 'remaining', 0)
redis.call('DEL', due)
return unsold
`;

/** Shared admission for several app nodes (REDIS_URL): every step is one Lua script. */
export function createRedisAdmission(redis: Redis): AdmissionPort {
  const keys = (id: string): [string, string, string] => [
    `flash:${id}`,
    `flash:${id}:claims`,
    `flash:${id}:due`,
  ];
  const orNull = (n: unknown) => (Number(n) < 0 ? null : Number(n));

  return {
    async open(sale) {
      const [meta] = keys(sale.id);
      // HSETNX per field: a node that opens a sale already known leaves its counts alone.
      await redis
        .multi()
        .hsetnx(meta, 'startsAt', sale.startsAtMs)
        .hsetnx(meta, 'endsAt', sale.endsAtMs)
        .hsetnx(meta, 'quantity', sale.quantity)
        .hsetnx(meta, 'limit', sale.perPersonLimit)
        .hsetnx(meta, 'remaining', sale.quantity)
        .exec();
    },
    async claim(saleId, userId, qty, nowMs, claimMs) {
      const reply = (await redis.eval(
        CLAIM,
        3,
        ...keys(saleId),
        nowMs,
        userId,
        qty,
        claimMs,
        newToken(),
      )) as [string, ...(string | number)[]];
      const [status, remaining] = reply;
      switch (status) {
        case 'unknown':
          return 'unknown';
        case 'won':
          return {
            status: 'won',
            remaining: Number(remaining),
            token: String(reply[2]),
            qty,
            expiresAt: new Date(Number(reply[3])),
          };
        case 'sold_out':
          return { status: 'sold_out', remaining: 0 };
        case 'already_claimed':
        case 'queued':
        case 'not_started':
        case 'ended':
          return { status, remaining: Number(remaining) };
        default:
          throw new Error(`flash admission: unexpected answer ${status}`);
      }
    },
    async check(saleId, userId, token, nowMs) {
      const [, claims, due] = keys(saleId);
      const qty = Number(await redis.eval(CONSUME, 2, claims, due, userId, token, nowMs, '0'));
      return qty > 0 ? { qty } : null;
    },
    async consume(saleId, userId, token, nowMs) {
      const [, claims, due] = keys(saleId);
      return Number(await redis.eval(CONSUME, 2, claims, due, userId, token, nowMs, '1')) > 0;
    },
    async sweep(saleId, nowMs) {
      return orNull(await redis.eval(SWEEP, 3, ...keys(saleId), nowMs));
    },
    async close(saleId) {
      return orNull(await redis.eval(CLOSE, 3, ...keys(saleId)));
    },
    async remaining(saleId) {
      const value = await redis.hget(keys(saleId)[0], 'remaining');
      return value === null ? null : Number(value);
    },
  };
}
