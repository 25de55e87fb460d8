import { createHmac } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';

/**
 * The whole environment the marketplace reads, validated once at start-up.
 * An absent engine URL selects that engine's embedded default (see ARCHITECTURE.md).
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
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  SESSION_TTL_HOURS: z.coerce
    .number()
    .int()
    .positive()
    .default(24 * 14),
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
  JOB_LEASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  RESERVATION_TTL_MINUTES: z.coerce
    .number()
    .positive()
    .max(24 * 60)
    .default(15),
  ORDER_AUTO_COMPLETE_DAYS: z.coerce.number().positive().max(90).default(7),
  PAYMENT_WEBHOOK_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  MAX_CSV_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(20 * 1024 * 1024),
});

export type Env = z.input<typeof EnvSchema>;

export interface Config {
  env: 'development' | 'production' | 'test';
  http: { port: number; host: string; publicUrl: string | undefined };
  dataDir: string;
  toolsDir: string;
  mongo: { uri: string | undefined; dbName: string };
  elasticsearchUrl: string | undefined;
  redisUrl: string | undefined;
  session: { secret: string | undefined; ttlHours: number };
  logLevel: string;
  runWorkers: boolean;
  seedDemo: boolean;
  login: { maxAttempts: number; windowSeconds: number };
  limits: { csvBytes: number };
  jobs: { leaseMs: number };
  commerce: {
    /** How long checkout holds stock for an unpaid order. */
    reservationTtlMs: number;
    /** Days after delivery when an unconfirmed order completes by itself. */
    autoCompleteDays: number;
    /** Shared by the payment provider and the webhook endpoint (HMAC-SHA256). */
    webhookSecret: string;
  };
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
  if (e.NODE_ENV === 'production' && !e.SESSION_SECRET) {
    throw new ConfigError(['SESSION_SECRET: required when NODE_ENV=production']);
  }
  return {
    env: e.NODE_ENV,
    http: { port: e.PORT, host: e.HOST, publicUrl: e.PUBLIC_URL },
    dataDir: path.resolve(e.DATA_DIR),
    toolsDir: path.resolve(e.TOOLS_DIR),
    mongo: { uri: e.MONGODB_URI, dbName: e.MONGODB_DB },
    elasticsearchUrl: e.ELASTICSEARCH_URL,
    redisUrl: e.REDIS_URL,
    session: { secret: e.SESSION_SECRET, ttlHours: e.SESSION_TTL_HOURS },
    logLevel: e.LOG_LEVEL,
    runWorkers: e.RUN_WORKERS,
    seedDemo: e.SEED_DEMO,
    login: { maxAttempts: e.LOGIN_MAX_ATTEMPTS, windowSeconds: e.LOGIN_WINDOW_SECONDS },
    limits: { csvBytes: e.MAX_CSV_BYTES },
    jobs: { leaseMs: e.JOB_LEASE_SECONDS * 1000 },
    commerce: {
      reservationTtlMs: Math.round(e.RESERVATION_TTL_MINUTES * 60_000),
      autoCompleteDays: e.ORDER_AUTO_COMPLETE_DAYS,
      // Every process must agree on it (any node may receive a webhook), so it derives from shared config.
      webhookSecret:
        e.PAYMENT_WEBHOOK_SECRET ??
        createHmac('sha256', e.SESSION_SECRET ?? 'development-only')
          .update('payment-webhooks')
          .digest('hex'),
    },
  };
}
