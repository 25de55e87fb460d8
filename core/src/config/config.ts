import path from 'node:path';
import { z } from 'zod';
import type { PhotoLimits, PhotoThresholds } from '../photos/types';

/**
 * The whole environment the marketplace reads, validated once at start-up.
 * An absent engine URL selects that engine's embedded default (docs/ARCHITECTURE.md, "Engines and
 * their adapters").
 */
const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().default('./data'),
  TOOLS_DIR: z.string().default('./.tools'),
  MONGODB_URI: z.url({ protocol: /^mongodb(\+srv)?$/ }).optional(),
  MONGODB_DB: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/)
    .default('marketplace'),
  ELASTICSEARCH_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** Answers the embedded search engine keeps for repeated searches; 0 turns its result cache off. */
  SEARCH_RESULT_CACHE: z.coerce.number().int().min(0).max(100_000).default(2000),
  SITEMAP_CHUNK_SIZE: z.coerce.number().int().min(1).max(50_000).default(50_000),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  SESSION_TTL_HOURS: z.coerce
    .number()
    .int()
    .positive()
    .default(24 * 14),
  /**
   * Seconds a signed-in request's session and user may be answered from memory; logouts, blocks and role
   * changes drop them at once (across nodes through the event bus). 0 reads the store on every request.
   */
  SESSION_CACHE_SECONDS: z.coerce.number().int().min(0).max(300).default(60),
  PUBLIC_URL: z.url().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  RUN_WORKERS: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  SEED_DEMO: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  LOGIN_MAX_ATTEMPTS: z.coerce.number().int().positive().default(10),
  LOGIN_WINDOW_SECONDS: z.coerce
    .number()
    .int()
    .positive()
    .default(15 * 60),
  // Request budgets against scripts (0 turns one off): registrations per IP per hour; checkouts and
  // coupon tries per minute; searches (and suggestions) per 10 seconds. See the README.
  RATE_LIMIT_REGISTER_PER_IP: z.coerce.number().int().min(0).default(10),
  RATE_LIMIT_CHECKOUT_PER_USER: z.coerce.number().int().min(0).default(10),
  RATE_LIMIT_CHECKOUT_PER_IP: z.coerce.number().int().min(0).default(60),
  RATE_LIMIT_COUPON_PER_USER: z.coerce.number().int().min(0).default(20),
  RATE_LIMIT_COUPON_PER_IP: z.coerce.number().int().min(0).default(60),
  RATE_LIMIT_SEARCH_PER_USER: z.coerce.number().int().min(0).default(150),
  RATE_LIMIT_SEARCH_PER_IP: z.coerce.number().int().min(0).default(300),
  RATE_LIMIT_PASSWORD_CHECK_PER_IP: z.coerce.number().int().min(0).default(120),
  // Flash-sale claim presses per 10 seconds: a person presses a few times; a script from one address more.
  RATE_LIMIT_FLASH_CLAIM_PER_IP: z.coerce.number().int().min(0).default(600),
  RATE_LIMIT_FLASH_CLAIM_PER_USER: z.coerce.number().int().min(0).default(20),
  // How long a flash-sale winner has to pay before the units go back to the pool.
  FLASH_CLAIM_SECONDS: z.coerce.number().positive().default(300),
  // How long storefront views may answer the open flash sales from memory (creates and closes on any node
  // drop the copy at once through the event bus; this bounds only what a lost event leaves).
  FLASH_LIST_CACHE_SECONDS: z.coerce.number().min(0).default(5),
  // Referrals: how many invitees one account may bring in (each can earn the inviter points), the points
  // an invitee's first completed order earns the inviter, and the invitee's welcome coupon.
  REFERRAL_MAX_INVITES: z.coerce.number().int().min(0).default(50),
  REFERRAL_INVITER_POINTS: z.coerce.number().int().min(1).default(500),
  REFERRAL_WELCOME_COUPON_FEN: z.coerce.number().int().min(1).default(1000),
  REFERRAL_WELCOME_MIN_SPEND_FEN: z.coerce.number().int().min(0).default(0),
  REFERRAL_WELCOME_DAYS: z.coerce.number().int().min(1).default(30),
  // Password-reset requests per hour, per address and per email asked about.
  RATE_LIMIT_PASSWORD_RESET_PER_IP: z.coerce.number().int().min(0).default(20),
  RATE_LIMIT_PASSWORD_RESET_PER_EMAIL: z.coerce.number().int().min(0).default(5),
  // SMS codes sent per hour, per address and per phone number (and one a minute per number, always).
  RATE_LIMIT_SMS_CODE_PER_IP: z.coerce.number().int().min(0).default(30),
  RATE_LIMIT_SMS_CODE_PER_PHONE: z.coerce.number().int().min(0).default(10),
  // Mail: an SMTP server to send through (smtp://user:pass@host:587 or smtps://…:465); without it the
  // app starts its own on a loopback port and keeps what it receives in the dev mailbox.
  SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
  MAIL_FROM: z.string().min(3).default('Bazaar 集市 <no-reply@bazaar.test>'),
  // Text messages: only the sandbox provider exists so far (messages kept in the database).
  SMS_PROVIDER: z.enum(['sandbox']).default('sandbox'),
  JOB_LEASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  RESERVATION_TTL_MINUTES: z.coerce
    .number()
    .positive()
    .max(24 * 60)
    .default(15),
  ORDER_AUTO_COMPLETE_DAYS: z.coerce.number().positive().max(90).default(7),
  AFTERSALES_WINDOW_DAYS: z.coerce.number().positive().max(90).default(7),
  AFTERSALES_SELLER_RESPONSE_HOURS: z.coerce.number().positive().max(720).default(48),
  AFTERSALES_RETURN_SHIP_DAYS: z.coerce.number().positive().max(60).default(7),
  /** The time zone analytics days and hours are counted in (China has one zone and no daylight saving). */
  ANALYTICS_TIME_ZONE: z
    .string()
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'must be an IANA time zone, e.g. Asia/Shanghai')
    .default('Asia/Shanghai'),
  PAYMENT_WEBHOOK_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  MARKET_TIME_ZONE: z
    .string()
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en-CA', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'an IANA time zone such as Asia/Shanghai')
    .default('Asia/Shanghai'),
  PAYOUT_MINIMUM_FEN: z.coerce.number().int().min(1).max(100_000_000).default(10_000),
  PAYOUT_WEEKDAY: z.coerce.number().int().min(1).max(7).default(1),
  PAYOUT_HOUR: z.coerce.number().int().min(0).max(23).default(10),
  PAYOUT_SANDBOX_DELAY_MS: z.coerce.number().int().min(0).max(3_600_000).default(2_000),
  LOGISTICS_OFFER_TIMEOUT_SECONDS: z.coerce.number().positive().max(3600).default(60),
  LOGISTICS_COURIER_CAPACITY: z.coerce.number().int().min(1).max(20).default(2),
  LOGISTICS_AVERAGE_SPEED_KMH: z.coerce.number().min(1).max(120).default(25),
  LOGISTICS_LATE_GRACE_SECONDS: z.coerce.number().min(0).max(86_400).default(600),
  LOGISTICS_SILENT_SECONDS: z.coerce.number().positive().max(86_400).default(120),
  MAX_CSV_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(20 * 1024 * 1024),
  // Photo checks: upload limits, then every threshold a verdict is measured against.
  PHOTO_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(15 * 1024 * 1024),
  PHOTO_MAX_PIXELS: z.coerce.number().int().positive().default(40_000_000),
  PHOTO_MAX_PER_PRODUCT: z.coerce.number().int().min(1).max(50).default(10),
  PHOTO_SELLER_QUOTA: z.coerce.number().int().min(1).default(2000),
  VISION_MODEL_DIR: z.string().optional(),
  PHOTO_MODEL_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(1),
  PHOTO_MIN_SIDE: z.coerce.number().int().min(1).default(500),
  PHOTO_MIN_SHARPNESS: z.coerce.number().min(0).default(40),
  PHOTO_MIN_LUMINANCE: z.coerce.number().min(0).max(255).default(50),
  PHOTO_MAX_LUMINANCE: z.coerce.number().min(0).max(255).default(248),
  PHOTO_MAX_HIGHLIGHT_CLIP: z.coerce.number().min(0).max(1).default(0.35),
  PHOTO_MAX_SHADOW_CLIP: z.coerce.number().min(0).max(1).default(0.3),
  PHOTO_MAX_ASPECT_RATIO: z.coerce.number().min(1).default(2),
  PHOTO_MIN_BACKGROUND_SHARE: z.coerce.number().min(0).max(1).default(0.2),
  PHOTO_MIN_PRODUCT_FILL: z.coerce.number().min(0).max(1).default(0.5),
  PHOTO_TEXT_REVIEW_SHARE: z.coerce.number().min(0).max(1).default(0.03),
  PHOTO_TEXT_REJECT_SHARE: z.coerce.number().min(0).max(1).default(0.12),
  PHOTO_NSFW_REVIEW: z.coerce.number().min(0).max(1).default(0.4),
  PHOTO_NSFW_REJECT: z.coerce.number().min(0).max(1).default(0.8),
  PHOTO_DUPLICATE_DISTANCE: z.coerce.number().int().min(0).max(32).default(6),
  RECS_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  RECS_TAIL_SECONDS: z.coerce.number().positive().max(60).default(2),
  RECS_EVENTS_PER_MINUTE: z.coerce.number().int().positive().default(600),
  RECS_HOT_CACHE_SECONDS: z.coerce.number().min(0).max(300).default(10),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  METRICS_HTTP: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
});

export type Env = z.input<typeof EnvSchema>;

export interface Config {
  env: 'development' | 'production' | 'test';
  http: { port: number; host: string; publicUrl: string | undefined };
  dataDir: string;
  toolsDir: string;
  mongo: { uri: string | undefined; dbName: string };
  elasticsearchUrl: string | undefined;
  searchResultCacheSize: number;
  /** Product URLs per sitemap file of `/sitemap.xml`'s index (the protocol's ceiling is 50,000). */
  sitemapChunkSize: number;
  redisUrl: string | undefined;
  /** Bearer token for `GET /metrics`; without it only loopback callers and admins may read them. */
  metricsToken: string | undefined;
  /** Whether every HTTP request is timed into the metrics (`METRICS_HTTP`; off only to measure its cost). */
  httpMetrics: boolean;
  session: { secret: string | undefined; ttlHours: number; cacheMs: number };
  /** SMTP_URL (undefined: the embedded SMTP server and dev mailbox) and the From header. */
  mail: { smtpUrl: string | undefined; from: string };
  sms: { provider: 'sandbox' };
  logLevel: string;
  runWorkers: boolean;
  seedDemo: boolean;
  login: { maxAttempts: number; windowSeconds: number };
  /** Per-route request budgets (`web/src/http/request-limits.ts`); 0 means no limit. */
  rateLimits: Record<RateLimitedAction, RateLimitBudget>;
  /** Flash sales: how long a winner's claim lasts unpaid; how long the open sales are kept in memory. */
  flash: { claimMs: number; listCacheMs: number };
  /** Referral rewards (`core/src/referrals`). */
  referrals: {
    maxInvites: number;
    inviterPoints: number;
    welcomeCoupon: { valueFen: number; minSpendFen: number; days: number };
  };
  limits: { csvBytes: number };
  jobs: { leaseMs: number };
  photos: {
    limits: PhotoLimits;
    thresholds: PhotoThresholds;
    /** Where `npm run setup:vision` puts the ONNX models: VISION_MODEL_DIR, or TOOLS_DIR/models. */
    modelDir: string;
    modelConcurrency: number;
  };
  recs: {
    /** Interaction events older than this are deleted (whole day buckets). */
    retentionDays: number;
    /** How often each process reads the events other processes stored. */
    tailMs: number;
    /** Events one visitor or account may send per minute through `POST /api/events`. */
    eventsPerMinute: number;
    /** How long a hot list is cached (in Redis when configured); 0 turns the cache off. */
    hotCacheMs: number;
  };
  commerce: {
    /** How long checkout holds stock for an unpaid order. */
    reservationTtlMs: number;
    /** Days after delivery when an unconfirmed order completes by itself. */
    autoCompleteDays: number;
    /**
     * PAYMENT_WEBHOOK_SECRET, the HMAC-SHA256 key shared by the payment provider and the webhook
     * endpoint. Undefined outside production when it is not set: every process then uses the one
     * generated at random and kept in the database (`core/src/secrets`), never one derived from a
     * string in the source.
     */
    webhookSecret: string | undefined;
  };
  analytics: {
    /** IANA time zone of analytics days and hours (`ANALYTICS_TIME_ZONE`, Asia/Shanghai). */
    timeZone: string;
  };
  afterSales: {
    /**
     * How long after delivery a buyer may open an after-sales request (seven-day no-reason returns,
     * 七天无理由退货); the seller's money for the order stays pending until it closes.
     */
    windowMs: number;
    /** How long a seller has to answer a request before it is approved by itself. */
    sellerResponseMs: number;
    /** How long a buyer has to ship an approved return before the request closes. */
    returnShipmentMs: number;
  };
  settlement: {
    /** MARKET_TIME_ZONE: where a business day starts and ends (reconciliation, statements). */
    timeZone: string;
    /** Available balances below this (fen) wait for the next payout run. */
    payoutMinimumFen: number;
    /** ISO weekday (1 = Monday) and local hour (MARKET_TIME_ZONE) of the weekly payout run. */
    payoutWeekday: number;
    payoutHour: number;
    /** How long the sandbox bank takes to settle a transfer before its webhook. */
    sandboxPayoutDelayMs: number;
  };
  logistics: {
    /** How long a courier has to accept an offer before it goes to the next nearest. */
    offerTimeoutMs: number;
    /** Deliveries one courier may carry at once. */
    courierCapacity: number;
    /** Speed assumed for ETAs when the courier's own is unknown or near zero. */
    averageSpeedKmh: number;
    /** How far past its promised time a delivery may run before it is flagged late. */
    lateGraceMs: number;
    /** How long a courier carrying a delivery may go without a position before support is alerted. */
    silentMs: number;
  };
}

export type RateLimitedAction =
  | 'register'
  | 'checkout'
  | 'coupon'
  | 'search'
  | 'passwordCheck'
  | 'passwordReset'
  | 'smsCode'
  | 'flashClaim';

export interface RateLimitBudget {
  windowSeconds: number;
  /** Requests one client address may make per window (0: unlimited). */
  perIp: number;
  /**
   * Requests one account may make per window (0: unlimited; registration has no account yet). For a
   * password reset and an SMS code, the email or phone number asked about stands for the account.
   */
  perUser: number;
}

export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  - ${i}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads the configuration from an environment (process.env by default); throws ConfigError listing every problem. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings mean "unset", as in a .env file with `REDIS_URL=`.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  if (e.NODE_ENV === 'production') {
    const missing = (['SESSION_SECRET', 'PAYMENT_WEBHOOK_SECRET'] as const).filter((name) => !e[name]);
    if (missing.length)
      throw new ConfigError(missing.map((name) => `${name}: required when NODE_ENV=production`));
  }
  return {
    env: e.NODE_ENV,
    http: { port: e.PORT, host: e.HOST, publicUrl: e.PUBLIC_URL },
    dataDir: path.resolve(e.DATA_DIR),
    toolsDir: path.resolve(e.TOOLS_DIR),
    mongo: { uri: e.MONGODB_URI, dbName: e.MONGODB_DB },
    elasticsearchUrl: e.ELASTICSEARCH_URL,
    searchResultCacheSize: e.SEARCH_RESULT_CACHE,
    sitemapChunkSize: e.SITEMAP_CHUNK_SIZE,
    redisUrl: e.REDIS_URL,
    metricsToken: e.METRICS_TOKEN,
    httpMetrics: e.METRICS_HTTP,
    session: {
      secret: e.SESSION_SECRET,
      ttlHours: e.SESSION_TTL_HOURS,
      cacheMs: e.SESSION_CACHE_SECONDS * 1000,
    },
    mail: { smtpUrl: e.SMTP_URL, from: e.MAIL_FROM },
    sms: { provider: e.SMS_PROVIDER },
    logLevel: e.LOG_LEVEL,
    runWorkers: e.RUN_WORKERS,
    seedDemo: e.SEED_DEMO,
    login: { maxAttempts: e.LOGIN_MAX_ATTEMPTS, windowSeconds: e.LOGIN_WINDOW_SECONDS },
    rateLimits: {
      register: { windowSeconds: 3600, perIp: e.RATE_LIMIT_REGISTER_PER_IP, perUser: 0 },
      checkout: {
        windowSeconds: 60,
        perIp: e.RATE_LIMIT_CHECKOUT_PER_IP,
        perUser: e.RATE_LIMIT_CHECKOUT_PER_USER,
      },
      coupon: { windowSeconds: 60, perIp: e.RATE_LIMIT_COUPON_PER_IP, perUser: e.RATE_LIMIT_COUPON_PER_USER },
      search: { windowSeconds: 10, perIp: e.RATE_LIMIT_SEARCH_PER_IP, perUser: e.RATE_LIMIT_SEARCH_PER_USER },
      // The strength meter's checks while someone types a new password (debounced by the page).
      passwordCheck: { windowSeconds: 60, perIp: e.RATE_LIMIT_PASSWORD_CHECK_PER_IP, perUser: 0 },
      passwordReset: {
        windowSeconds: 3600,
        perIp: e.RATE_LIMIT_PASSWORD_RESET_PER_IP,
        perUser: e.RATE_LIMIT_PASSWORD_RESET_PER_EMAIL,
      },
      smsCode: {
        windowSeconds: 3600,
        perIp: e.RATE_LIMIT_SMS_CODE_PER_IP,
        perUser: e.RATE_LIMIT_SMS_CODE_PER_PHONE,
      },
      flashClaim: {
        windowSeconds: 10,
        perIp: e.RATE_LIMIT_FLASH_CLAIM_PER_IP,
        perUser: e.RATE_LIMIT_FLASH_CLAIM_PER_USER,
      },
    },
    flash: {
      claimMs: Math.round(e.FLASH_CLAIM_SECONDS * 1000),
      listCacheMs: Math.round(e.FLASH_LIST_CACHE_SECONDS * 1000),
    },
    referrals: {
      maxInvites: e.REFERRAL_MAX_INVITES,
      inviterPoints: e.REFERRAL_INVITER_POINTS,
      welcomeCoupon: {
        valueFen: e.REFERRAL_WELCOME_COUPON_FEN,
        minSpendFen: e.REFERRAL_WELCOME_MIN_SPEND_FEN,
        days: e.REFERRAL_WELCOME_DAYS,
      },
    },
    limits: { csvBytes: e.MAX_CSV_BYTES },
    jobs: { leaseMs: e.JOB_LEASE_SECONDS * 1000 },
    photos: {
      limits: {
        maxBytes: e.PHOTO_MAX_BYTES,
        maxPixels: e.PHOTO_MAX_PIXELS,
        perProduct: e.PHOTO_MAX_PER_PRODUCT,
        perSeller: e.PHOTO_SELLER_QUOTA,
      },
      thresholds: {
        minSide: e.PHOTO_MIN_SIDE,
        minSharpness: e.PHOTO_MIN_SHARPNESS,
        minLuminance: e.PHOTO_MIN_LUMINANCE,
        maxLuminance: e.PHOTO_MAX_LUMINANCE,
        maxHighlightClip: e.PHOTO_MAX_HIGHLIGHT_CLIP,
        maxShadowClip: e.PHOTO_MAX_SHADOW_CLIP,
        maxAspectRatio: e.PHOTO_MAX_ASPECT_RATIO,
        minBackgroundShare: e.PHOTO_MIN_BACKGROUND_SHARE,
        minProductFill: e.PHOTO_MIN_PRODUCT_FILL,
        textReviewShare: e.PHOTO_TEXT_REVIEW_SHARE,
        textRejectShare: e.PHOTO_TEXT_REJECT_SHARE,
        nsfwReviewScore: e.PHOTO_NSFW_REVIEW,
        nsfwRejectScore: e.PHOTO_NSFW_REJECT,
        duplicateDistance: e.PHOTO_DUPLICATE_DISTANCE,
      },
      modelDir: path.resolve(e.VISION_MODEL_DIR ?? path.join(e.TOOLS_DIR, 'models')),
      modelConcurrency: e.PHOTO_MODEL_CONCURRENCY,
    },
    recs: {
      retentionDays: e.RECS_RETENTION_DAYS,
      tailMs: Math.round(e.RECS_TAIL_SECONDS * 1000),
      eventsPerMinute: e.RECS_EVENTS_PER_MINUTE,
      hotCacheMs: Math.round(e.RECS_HOT_CACHE_SECONDS * 1000),
    },
    commerce: {
      reservationTtlMs: Math.round(e.RESERVATION_TTL_MINUTES * 60_000),
      autoCompleteDays: e.ORDER_AUTO_COMPLETE_DAYS,
      webhookSecret: e.PAYMENT_WEBHOOK_SECRET,
    },
    analytics: { timeZone: e.ANALYTICS_TIME_ZONE },
    afterSales: {
      windowMs: Math.round(e.AFTERSALES_WINDOW_DAYS * 86_400_000),
      sellerResponseMs: Math.round(e.AFTERSALES_SELLER_RESPONSE_HOURS * 3_600_000),
      returnShipmentMs: Math.round(e.AFTERSALES_RETURN_SHIP_DAYS * 86_400_000),
    },
    settlement: {
      timeZone: e.MARKET_TIME_ZONE,
      payoutMinimumFen: e.PAYOUT_MINIMUM_FEN,
      payoutWeekday: e.PAYOUT_WEEKDAY,
      payoutHour: e.PAYOUT_HOUR,
      sandboxPayoutDelayMs: e.PAYOUT_SANDBOX_DELAY_MS,
    },
    logistics: {
      offerTimeoutMs: Math.round(e.LOGISTICS_OFFER_TIMEOUT_SECONDS * 1000),
      courierCapacity: e.LOGISTICS_COURIER_CAPACITY,
      averageSpeedKmh: e.LOGISTICS_AVERAGE_SPEED_KMH,
      lateGraceMs: Math.round(e.LOGISTICS_LATE_GRACE_SECONDS * 1000),
      silentMs: Math.round(e.LOGISTICS_SILENT_SECONDS * 1000),
    },
  };
}
