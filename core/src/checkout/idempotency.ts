import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Schema, type Connection } from 'mongoose';
import { modelOn } from '../db/model';
import { AppError, ConflictError, isDuplicateKeyError, ValidationError } from '../errors';
import { type Clock, systemClock } from '../clock';

export interface StoredResponse {
  status: number;
  body: unknown;
}

interface KeyDoc {
  _id: string;
  requestHash: string;
  state: 'running' | 'done';
  /** JSON text: a response body may hold keys and arrays a document cannot. */
  response: string | null;
  status: number | null;
  attempt: number;
  leaseUntil: Date;
  createdAt: Date;
  expiresAt: Date;
}

const keySchema = new Schema<KeyDoc>(
  {
    _id: String,
    requestHash: { type: String, required: true },
    state: { type: String, required: true },
    response: { type: String, default: null },
    status: { type: Number, default: null },
    attempt: { type: Number, required: true },
    leaseUntil: { type: Date, required: true },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false },
);

const KEEP_MS = 24 * 3600_000;
// Longer than a checkout takes even under load; a takeover while the first run lives is still safe (the
// saga is idempotent), it only costs duplicate work.
const LEASE_MS = 15_000;
const WAIT_MS = 30_000;

/** A stable hash of a request body (key order does not matter). */
export function hashRequest(body: unknown): string {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canonical)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
          )
        : v;
  return createHash('sha256')
    .update(JSON.stringify(canonical(body)))
    .digest('hex');
}

/**
 * `Idempotency-Key` handling. The first request with a key claims it by inserting `<scope>:<user>:<key>`
 * (a unique `_id`, so exactly one of many concurrent requests runs); the others wait for its response and
 * return it unchanged. The response (success or a client error) is kept 24 hours. The same key with a
 * different body is refused (422). If the process running a request dies, the key's lease runs out and
 * a retry takes over; the operation itself must therefore be resumable (the checkout saga is, by ids
 * derived from the key).
 */
export function createIdempotencyStore(deps: { connection: Connection; clock?: Clock }) {
  const Keys = modelOn<KeyDoc>(deps.connection, 'IdempotencyKey', keySchema, 'idempotency_keys');
  const Takeovers = modelOn(
    deps.connection,
    'IdempotencyTakeover',
    new Schema<{ _id: string; at: Date }>({ _id: String, at: Date }, { versionKey: false }),
    'idempotency_takeovers',
  );
  const now = deps.clock ?? systemClock;

  async function finish(id: string, response: StoredResponse) {
    await Keys.updateOne(
      { _id: id },
      { $set: { state: 'done', status: response.status, response: JSON.stringify(response.body) } },
    );
  }

  async function run(
    id: string,
    attempt: number,
    op: () => Promise<StoredResponse>,
  ): Promise<StoredResponse> {
    let response: StoredResponse;
    try {
      response = await op();
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) {
        // Not a client error: forget the key so that a retry runs the (resumable) operation again.
        await Keys.deleteOne({ _id: id, attempt });
        throw err;
      }
      response = {
        status: err.status,
        body: { error: { code: err.code, message: err.message, ...err.details } },
      };
    }
    await finish(id, response);
    return response;
  }

  return {
    async execute(
      scope: string,
      userId: string,
      key: string,
      requestHash: string,
      op: () => Promise<StoredResponse>,
    ): Promise<StoredResponse & { replayed: boolean }> {
      const id = `${scope}:${userId}:${key}`;
      const started = Date.now();
      for (;;) {
        const at = now();
        try {
          await Keys.create({
            _id: id,
            requestHash,
            state: 'running',
            response: null,
            status: null,
            attempt: 1,
            leaseUntil: new Date(at.getTime() + LEASE_MS),
            createdAt: at,
            expiresAt: new Date(at.getTime() + KEEP_MS),
          });
          return { ...(await run(id, 1, op)), replayed: false };
        } catch (err) {
          if (!isDuplicateKeyError(err)) throw err;
        }
        const doc = await Keys.findById(id).lean<KeyDoc>();
        if (!doc) continue; // deleted after a server error: claim it again
        if (doc.requestHash !== requestHash)
          throw new ValidationError(
            [{ field: 'header.idempotency-key', message: 'this key was used with a different request body' }],
            'The Idempotency-Key was already used for a different request',
          );
        if (doc.state === 'done')
          return { status: doc.status ?? 200, body: JSON.parse(doc.response ?? 'null'), replayed: true };
        if (doc.leaseUntil.getTime() < now().getTime()) {
          // Its runner died: exactly one waiter takes the next attempt over.
          const attempt = doc.attempt + 1;
          try {
            await Takeovers.create({ _id: `${id}#${attempt}`, at: now() });
          } catch (err) {
            if (!isDuplicateKeyError(err)) throw err;
            await sleep(100);
            continue;
          }
          await Keys.updateOne(
            { _id: id },
            { $set: { attempt, leaseUntil: new Date(now().getTime() + LEASE_MS) } },
          );
          return { ...(await run(id, attempt, op)), replayed: false };
        }
        if (Date.now() - started > WAIT_MS)
          throw new ConflictError(
            'A request with this Idempotency-Key is still being processed; retry shortly',
          );
        await sleep(50 + Math.random() * 50);
      }
    },

    /** No TTL indexes on FerretDB: expired keys go by job. */
    async prune(): Promise<number> {
      const { deletedCount } = await Keys.deleteMany({ expiresAt: { $lt: now() } });
      return deletedCount;
    },
  };
}

export type IdempotencyStore = ReturnType<typeof createIdempotencyStore>;
