import type { Redis } from '../redis';
import { newToken, type AdmissionPort } from './admission';

/*
 * Redis layout per sale: `flash:<id>` hash (window, limit, quantity, remaining, unsold once closed),
 * `flash:<id>:claims` hash (user → claim record, below), `flash:<id>:due` sorted set of claims not yet
 * in a checkout, by expiry (member = user). Every step is one Lua script, so it is atomic across nodes.
 */
const LAPSE = `
local function lapse(meta, claims, due, now)
  local users = redis.call('ZRANGEBYSCORE', due, '-inf', now)
  for _, user in ipairs(users) do
    local c = redis.call('HGET', claims, user)
    if c then
      local _, _, qty = string.find(c, '^[^|]*|(%d+)|%d+|0|')
      if qty then
        redis.call('HDEL', claims, user)
        redis.call('HINCRBY', meta, 'remaining', tonumber(qty))
      end
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
  -- Unpaid claims (lapsing ones, and those in a checkout that may end unpaid) may still free units.
  if redis.call('ZCARD', due) > 0 or tonumber(redis.call('HGET', meta, 'checkouts') or '0') > 0 then
    return {'queued', remaining}
  end
  return {'sold_out', 0}
end
local expires = now + claimMs
redis.call('HSET', claims, user, token .. '|' .. qty .. '|' .. expires .. '|0|')
redis.call('ZADD', due, expires, user)
remaining = redis.call('HINCRBY', meta, 'remaining', -qty)
return {'won', remaining, token, expires}
`;

// A claim record: "token|qty|expiresAtMs|state|checkoutId", state 0 claimed, 1 paid, 2 in a checkout,
// 3 released to the pool, 4 released to stock. Only state 0 is in `due` (lapses by time).
const PARSE = `
local function parse(c)
  local _, _, t, qty, expires, state, checkout = string.find(c, '^([^|]*)|(%d+)|(%d+)|(%d)|(.*)$')
  return t, tonumber(qty), expires, state, checkout
end
`;

const INSPECT = `${PARSE}
local meta, claims, user, token, now = KEYS[1], KEYS[2], ARGV[1], ARGV[2], tonumber(ARGV[3])
local c = redis.call('HGET', claims, user)
if not c then return {'none'} end
local t, qty, expires, state = parse(c)
if t ~= token then return {'none'} end
if state ~= '0' then return {'used'} end
if redis.call('HEXISTS', meta, 'unsold') == 1 or tonumber(expires) <= now then return {'lapsed'} end
return {'live', qty}
`;

const ATTACH = `${PARSE}
local meta, claims, due = KEYS[1], KEYS[2], KEYS[3]
local user, token, checkout, now = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4])
local c = redis.call('HGET', claims, user)
if not c then return {'none'} end
local t, qty, expires, state, current = parse(c)
if t ~= token then return {'none'} end
if current == checkout and (state == '2' or state == '1') then return {'attached', qty} end
if state ~= '0' then return {'used'} end
if redis.call('HEXISTS', meta, 'unsold') == 1 or tonumber(expires) <= now then return {'none'} end
redis.call('HSET', claims, user, t .. '|' .. qty .. '|' .. expires .. '|2|' .. checkout)
redis.call('ZREM', due, user)
redis.call('HINCRBY', meta, 'checkouts', 1)
return {'attached', qty}
`;

const CONSUME = `${PARSE}
local meta, claims, user, checkout = KEYS[1], KEYS[2], ARGV[1], ARGV[2]
local c = redis.call('HGET', claims, user)
if not c then return 0 end
local t, qty, expires, state, current = parse(c)
if current ~= checkout then return 0 end
if state == '2' then
  redis.call('HSET', claims, user, t .. '|' .. qty .. '|' .. expires .. '|1|' .. checkout)
  redis.call('HINCRBY', meta, 'checkouts', -1)
  return 1
end
if state == '1' then return 1 end
return 0
`;

const RELEASE = `${PARSE}
local meta, claims, user, checkout = KEYS[1], KEYS[2], ARGV[1], ARGV[2]
local c = redis.call('HGET', claims, user)
if not c then return {'none'} end
local t, qty, expires, state, current = parse(c)
if current ~= checkout then return {'none'} end
if state == '4' then return {'stock', qty} end
if state ~= '2' then return {'none'} end
redis.call('HINCRBY', meta, 'checkouts', -1)
if redis.call('HEXISTS', meta, 'unsold') == 1 then
  redis.call('HSET', claims, user, t .. '|' .. qty .. '|' .. expires .. '|4|' .. checkout)
  return {'stock', qty}
end
redis.call('HSET', claims, user, t .. '|' .. qty .. '|' .. expires .. '|3|' .. checkout)
redis.call('HINCRBY', meta, 'remaining', qty)
return {'pool', qty}
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
-- Sold (1) and in an unpaid checkout (2) stay out: a checkout that ends unpaid later returns its own.
local taken = 0
local all = redis.call('HVALS', claims)
for _, c in ipairs(all) do
  local _, _, qty, s = string.find(c, '^[^|]*|(%d+)|%d+|(%d)|')
  if s == '1' or s == '2' then taken = taken + tonumber(qty) end
end
unsold = tonumber(redis.call('HGET', meta, 'quantity')) - taken
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
    async inspect(saleId, userId, token, nowMs) {
      const [meta, claims] = keys(saleId);
      const [status, qty] = (await redis.eval(INSPECT, 2, meta, claims, userId, token, nowMs)) as [
        string,
        number?,
      ];
      if (status === 'live') return { status, qty: Number(qty) };
      return status === 'used' || status === 'lapsed' ? { status } : { status: 'none' };
    },
    async attach(saleId, userId, token, checkoutId, nowMs) {
      const [status, qty] = (await redis.eval(
        ATTACH,
        3,
        ...keys(saleId),
        userId,
        token,
        checkoutId,
        nowMs,
      )) as [string, number?];
      if (status === 'attached') return { status, qty: Number(qty) };
      return status === 'used' ? { status } : { status: 'none' };
    },
    async consume(saleId, userId, checkoutId) {
      const [meta, claims] = keys(saleId);
      return Number(await redis.eval(CONSUME, 2, meta, claims, userId, checkoutId)) === 1;
    },
    async release(saleId, userId, checkoutId) {
      const [meta, claims] = keys(saleId);
      const [to, qty] = (await redis.eval(RELEASE, 2, meta, claims, userId, checkoutId)) as [string, number?];
      return to === 'pool' || to === 'stock' ? { to, qty: Number(qty) } : { to: 'none' };
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
