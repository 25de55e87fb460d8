import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import { TooManyRequestsError, ValidationError, type FieldIssue } from '../errors';
import type { EventBus } from '../events';
import type { Logger } from '../logger';
import type { Redis } from '../redis';
import type { CourierDirectory } from './couriers';
import { estimateArrival } from './eta';
import type { LogisticsModels } from './model';
import type { CourierFix, DeliveryStatus, Place } from './types';
import { type Clock } from '../clock';

/** What a courier's device sends (the realtime contract's `CourierPosition`). */
export interface PositionInput {
  lat: number;
  lng: number;
  accuracy?: number | null;
  heading?: number | null;
  speedKmh?: number | null;
  at?: string | null;
}

/** A delivery the courier carries, as position ingestion needs it. */
export interface CarriedDelivery {
  id: string;
  orderId: string;
  buyerId: string;
  status: DeliveryStatus;
  pickup: Place;
  dropoff: Place;
}

/** How far a device's own timestamp may be from ours before we use ours. */
const CLOCK_SKEW_MS = 30_000;
const CARRIED_CACHE_MS = 2_000;

function finite(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** Checks a fix from a device; every problem is named (`position.lat`…). */
export function validatePosition(input: unknown, now: Date): CourierFix {
  const p = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const issues: FieldIssue[] = [];
  const range = (field: string, min: number, max: number, optional: boolean) => {
    const v = p[field];
    if ((v === undefined || v === null) && optional) return;
    if (!finite(v) || v < min || v > max)
      issues.push({ field: `position.${field}`, message: `a number from ${min} to ${max}` });
  };
  range('lat', -90, 90, false);
  range('lng', -180, 180, false);
  range('accuracy', 0, 100_000, true);
  range('heading', 0, 360, true);
  range('speedKmh', 0, 400, true);
  let at = now;
  if (p.at !== undefined && p.at !== null) {
    const t = typeof p.at === 'string' ? new Date(p.at) : new Date(NaN);
    if (Number.isNaN(t.getTime())) issues.push({ field: 'position.at', message: 'an ISO date-time' });
    // A device clock far off ours would make fixes look stale or from the future: keep ours then.
    else if (Math.abs(t.getTime() - now.getTime()) <= CLOCK_SKEW_MS) at = t;
  }
  if (issues.length) throw new ValidationError(issues, 'The position is not valid');
  const num = (field: string) => (finite(p[field]) ? (p[field] as number) : null);
  return {
    lat: p.lat as number,
    lng: p.lng as number,
    accuracy: num('accuracy'),
    heading: num('heading'),
    speedKmh: num('speedKmh'),
    at,
  };
}

/**
 * Position ingestion: each fix is validated and rate-limited per courier (Redis-backed across nodes when
 * REDIS_URL is set), kept in memory as the courier's latest, persisted at a bounded rate, and turned into
 * a new ETA for every delivery the courier carries, published as `courier.location` at most once per
 * second per delivery (leading edge, plus a trailing publish of the last fix, so the marker never lags
 * more than a second). The once-per-second gate is a Redis `SET NX PX` when Redis is set, so two nodes
 * receiving fixes of one courier (a reconnect to another node) still publish once.
 */
export function createPositionIngestion(deps: {
  models: LogisticsModels;
  couriers: CourierDirectory;
  bus: EventBus;
  log: Logger;
  redis: Redis | null;
  /** Minimum spacing of fixes, ms (the realtime contract's COURIER_POSITION_INTERVAL_MS). */
  intervalMs: number;
  /** How often a courier's fix and each delivery's track are written to the database. */
  persistEveryMs: number;
  averageSpeedKmh: number;
  carried: (courierId: string) => Promise<CarriedDelivery[]>;
  clock: Clock;
}) {
  const windowMs = Math.max(1, Math.ceil((2 * deps.intervalMs) / 1000)) * 1000;
  // Three fixes per two intervals: one a second on average, with room for network jitter (a fix that
  // arrives 5 ms early must not be refused), while a flood is cut off at once. The window is read from the
  // clock and is part of the key (`<courier>:<window>`), so the limit follows the injected clock; a key
  // outlives its window by a wide margin only so that a slow request still lands in the window it began in.
  const limiterOpts = { keyPrefix: 'courier-pos', points: 3, duration: Math.max(60, (10 * windowMs) / 1000) };
  const limiter: RateLimiterAbstract = deps.redis
    ? new RateLimiterRedis({
        ...limiterOpts,
        storeClient: deps.redis,
        insuranceLimiter: new RateLimiterMemory(limiterOpts),
      })
    : new RateLimiterMemory(limiterOpts);

  const latest = new Map<string, CourierFix>();
  const persistedAt = new Map<string, number>();
  const trackPersistedAt = new Map<string, number>();
  const carriedCache = new Map<string, { at: number; list: Promise<CarriedDelivery[]> }>();
  const lastPublished = new Map<string, number>();
  const trailing = new Map<string, { timer: NodeJS.Timeout; courierId: string }>();

  const nowMs = () => deps.clock().getTime();

  async function carried(courierId: string): Promise<CarriedDelivery[]> {
    const now = nowMs();
    const cached = carriedCache.get(courierId);
    if (cached && now - cached.at < CARRIED_CACHE_MS) return cached.list;
    const list = deps.carried(courierId);
    carriedCache.set(courierId, { at: now, list });
    list.catch(() => carriedCache.delete(courierId));
    return list;
  }

  /** Whether this node may publish the delivery's position now (once per interval, across nodes). */
  async function mayPublish(deliveryId: string, now: number): Promise<boolean> {
    if (deps.redis) {
      try {
        const ok = await deps.redis.set(`courier-loc:${deliveryId}`, '1', 'PX', deps.intervalMs, 'NX');
        return ok === 'OK';
      } catch (err) {
        deps.log.warn({ err }, 'redis unavailable for the position throttle; throttling in process');
      }
    }
    const last = lastPublished.get(deliveryId) ?? 0;
    if (now - last < deps.intervalMs) return false;
    lastPublished.set(deliveryId, now);
    return true;
  }

  async function publish(courierId: string, delivery: CarriedDelivery, fix: CourierFix): Promise<void> {
    const etaAt = estimateArrival({
      status: delivery.status,
      position: fix,
      speedKmh: fix.speedKmh,
      pickup: delivery.pickup,
      dropoff: delivery.dropoff,
      averageSpeedKmh: deps.averageSpeedKmh,
      now: deps.clock(),
    });
    const now = nowMs();
    if ((trackPersistedAt.get(delivery.id) ?? 0) + deps.persistEveryMs <= now) {
      trackPersistedAt.set(delivery.id, now);
      await deps.models.Tracks.updateOne(
        { _id: delivery.id },
        {
          $set: {
            lat: fix.lat,
            lng: fix.lng,
            heading: fix.heading,
            speedKmh: fix.speedKmh,
            at: fix.at,
            etaAt,
          },
        },
        { upsert: true },
      ).catch((err: unknown) => deps.log.warn({ err, deliveryId: delivery.id }, 'could not save a track'));
    }
    await deps.bus.publish('courier.location', {
      deliveryId: delivery.id,
      orderId: delivery.orderId,
      buyerId: delivery.buyerId,
      courierId,
      lat: fix.lat,
      lng: fix.lng,
      heading: fix.heading,
      speedKmh: fix.speedKmh,
      etaAt: etaAt.toISOString(),
      at: fix.at.toISOString(),
    });
  }

  /**
   * Publishes the courier's newest fix once the delivery's interval has passed. In process the interval is
   * read from the clock, which a timer cannot wait on: when the timer finds the interval still running
   * (the clock is not the wall's), it waits again. With Redis another node published in the interval.
   */
  function publishTrailing(courierId: string, delivery: CarriedDelivery, delayMs: number): void {
    const timer = setTimeout(() => {
      const newest = latest.get(courierId);
      if (!newest) return void trailing.delete(delivery.id);
      void mayPublish(delivery.id, nowMs())
        .then(async (ok) => {
          if (ok) {
            trailing.delete(delivery.id);
            await publish(courierId, delivery, newest);
          } else if (!deps.redis && trailing.get(delivery.id)?.timer === timer) {
            publishTrailing(courierId, delivery, deps.intervalMs);
          } else {
            trailing.delete(delivery.id);
          }
        })
        .catch((err: unknown) => {
          trailing.delete(delivery.id);
          deps.log.warn({ err }, 'trailing position publish failed');
        });
    }, delayMs);
    timer.unref();
    trailing.set(delivery.id, { timer, courierId });
  }

  async function fanOut(courierId: string, fix: CourierFix): Promise<void> {
    for (const delivery of await carried(courierId)) {
      if (await mayPublish(delivery.id, nowMs())) {
        await publish(courierId, delivery, fix);
        continue;
      }
      // Throttled: make sure the newest fix still goes out when the window closes.
      if (!trailing.has(delivery.id)) publishTrailing(courierId, delivery, deps.intervalMs);
    }
  }

  return {
    /**
     * Takes one fix from a courier's device. Throws ValidationError for a bad fix and
     * TooManyRequestsError (with the seconds, and `retryAfterMs` in its details) when fixes come faster
     * than the limit.
     */
    async reportPosition(courierId: string, input: unknown): Promise<void> {
      const now = deps.clock();
      const fix = validatePosition(input, now);
      const window = Math.floor(now.getTime() / windowMs);
      try {
        await limiter.consume(`${courierId}:${window}`);
      } catch (res) {
        if (!(res instanceof RateLimiterRes)) throw res;
        const retryAfterMs = Math.max(1, (window + 1) * windowMs - now.getTime());
        const err = new TooManyRequestsError(
          `Positions are taken about once every ${deps.intervalMs} ms; try again in ${retryAfterMs} ms`,
          Math.ceil(retryAfterMs / 1000),
        );
        err.details.retryAfterMs = retryAfterMs;
        throw err;
      }
      latest.set(courierId, fix);
      if ((persistedAt.get(courierId) ?? 0) + deps.persistEveryMs <= now.getTime()) {
        persistedAt.set(courierId, now.getTime());
        await deps.couriers.savePosition(courierId, fix);
      }
      await fanOut(courierId, fix);
    },

    /** The freshest fix this process holds for the courier. */
    liveFix(courierId: string): CourierFix | null {
      return latest.get(courierId) ?? null;
    },

    /** Forget cached deliveries of a courier (their set just changed). */
    invalidate(courierId: string): void {
      carriedCache.delete(courierId);
    },

    close(): void {
      for (const { timer } of trailing.values()) clearTimeout(timer);
      trailing.clear();
    },
  };
}

export type PositionIngestion = ReturnType<typeof createPositionIngestion>;
