import { randomBytes } from 'node:crypto';
import type { Connection } from 'mongoose';
import { isDuplicateKeyError } from '../errors';
import { secretModel, type SecretDoc } from './model';
import type { Clock } from '../clock';

/** The names of the secrets the marketplace generates for itself when none is configured. */
export const PAYMENT_WEBHOOK_SECRET_NAME = 'payment-webhook';

/**
 * Secrets that every process on one database must share but nobody configured (the embedded default):
 * generated at random by the first process that needs one and kept in the `secrets` collection. The
 * first writer wins through the unique `_id` insert and every other process, racing or later, reads the
 * winner's value; nothing is ever derived from a string in the source. A process asks once and keeps
 * the answer (a failed read is asked again next time).
 */
export function createSecretStore(deps: { connection: Connection; clock?: Clock }) {
  const Secrets = secretModel(deps.connection);
  const now = deps.clock ?? (() => new Date());
  const resolved = new Map<string, Promise<string>>();

  async function readOrCreate(name: string): Promise<string> {
    const existing = await Secrets.findById(name).lean<SecretDoc>();
    if (existing) return existing.value;
    const value = randomBytes(32).toString('base64url');
    try {
      await Secrets.create({ _id: name, value, createdAt: now() });
      return value;
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      const winner = await Secrets.findById(name).lean<SecretDoc>();
      if (!winner) throw new Error(`secret ${name} was created and is gone`, { cause: err });
      return winner.value;
    }
  }

  return {
    /** The secret `name`, the same in every process on this database. */
    shared(name: string): Promise<string> {
      let pending = resolved.get(name);
      if (!pending) {
        pending = readOrCreate(name);
        resolved.set(name, pending);
        pending.catch(() => resolved.delete(name));
      }
      return pending;
    },
  };
}

export type SecretStore = ReturnType<typeof createSecretStore>;
