import { hash, verify } from '@node-rs/argon2';
import type { Connection } from 'mongoose';
import { ConflictError, isDuplicateKeyError, NotFoundError, ValidationError } from '../errors';
import { newId } from '../ids';
import { userModel, type UserDoc } from './model';
import { checkPassword, type PasswordOwner } from './password-policy';
import type { AccountAccess, CredentialCheck, Role, User } from './types';
import type { EventBus } from '../events';
import { type Clock, systemClock } from '../clock';

// OWASP's argon2id baseline (m=19 MiB, t=2, p=1).
const ARGON2_OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;
// Verifying against this when the email is unknown keeps response time from revealing which emails exist.
const DUMMY_HASH_PROMISE = hash('not-a-real-password', ARGON2_OPTIONS);

export interface CreateUserInput {
  email: string;
  name: string;
  password: string;
  roles: Role[];
  shopId?: string | null;
  id?: string;
}

export function toUser(doc: UserDoc): User {
  return {
    id: doc._id,
    email: doc.email,
    name: doc.name,
    roles: doc.roles,
    shopId: doc.shopId ?? null,
    createdAt: doc.createdAt,
  };
}

/**
 * Throws a ValidationError naming `field` unless the password meets the policy (`password-policy.ts`).
 * Registration and password changes call this; the demo seed does not (its password is published).
 */
export function requireAcceptablePassword(
  password: string,
  owner: PasswordOwner,
  field: string,
  opts: { differentFrom?: string } = {},
): void {
  if (opts.differentFrom !== undefined && password === opts.differentFrom)
    throw new ValidationError([{ field, message: 'must differ from the current password' }]);
  const check = checkPassword(password, owner);
  if (!check.ok) throw new ValidationError([{ field, message: check.problem! }], 'The password is too weak');
}

function toAccess(doc: UserDoc): AccountAccess {
  return {
    ...toUser(doc),
    blocked: doc.disabled
      ? { reason: doc.blockedReason ?? '', by: doc.blockedBy, at: doc.blockedAt ?? doc.updatedAt }
      : null,
  };
}

/** What the back office finds an account by and shows in a result row. */
export interface SearchableUser {
  id: string;
  email: string;
  name: string;
  /** Digits only; null when the account has none (phone numbers arrive with phone login). */
  phone: string | null;
  roles: Role[];
  shopId: string | null;
  blocked: boolean;
  createdAt: Date;
}

function toSearchable(
  doc: Pick<UserDoc, '_id' | 'email' | 'name' | 'roles' | 'disabled' | 'shopId' | 'createdAt'> & {
    phone?: string | null;
  },
): SearchableUser {
  return {
    id: doc._id,
    email: doc.email,
    name: doc.name,
    shopId: doc.shopId ?? null,
    createdAt: doc.createdAt,
    phone: doc.phone ? doc.phone.replace(/\D/g, '') : null,
    roles: doc.roles,
    blocked: !!doc.disabled,
  };
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function createUserService(deps: { connection: Connection; bus?: EventBus; clock?: Clock }) {
  const Users = userModel(deps.connection);
  const now = deps.clock ?? systemClock;
  // Read models of users (the back office's search index) follow this; none is needed to run without a bus.
  const changed = (userId: string) =>
    deps.bus?.publish('user.changed', { userId, at: now().toISOString() }) ?? Promise.resolve();

  return {
    async createUser(input: CreateUserInput): Promise<User> {
      const passwordHash = await hash(input.password, ARGON2_OPTIONS);
      try {
        const doc = await Users.create({
          _id: input.id ?? newId('usr'),
          email: normalizeEmail(input.email),
          name: input.name.trim(),
          passwordHash,
          roles: input.roles,
          shopId: input.shopId ?? null,
        });
        await changed(doc._id);
        return toUser(doc.toObject());
      } catch (err) {
        if (isDuplicateKeyError(err)) {
          throw new ConflictError('An account with this email already exists', {
            fields: [{ field: 'body.email', message: 'already registered' }],
          });
        }
        throw err;
      }
    },

    /**
     * Checks a login. A blocked account is told so only when the password is right: a wrong guess gets
     * the same answer as an unknown email, so blocking reveals nothing to someone without the password.
     */
    async verifyCredentials(email: string, password: string): Promise<CredentialCheck> {
      const doc = await Users.findOne({ email: normalizeEmail(email) }).lean<UserDoc>();
      if (!doc) {
        await verify(await DUMMY_HASH_PROMISE, password);
        return { status: 'invalid' };
      }
      if (!(await verify(doc.passwordHash, password))) return { status: 'invalid' };
      return doc.disabled ? { status: 'blocked' } : { status: 'ok', user: toUser(doc) };
    },

    /** Whether `password` is this (active) user's current password: re-authentication before a change. */
    async verifyPassword(userId: string, password: string): Promise<boolean> {
      const doc = await Users.findById(userId).lean<UserDoc>();
      if (!doc || doc.disabled) {
        await verify(await DUMMY_HASH_PROMISE, password);
        return false;
      }
      return verify(doc.passwordHash, password);
    },

    /** Replaces the password hash; the caller checked the policy and ends the other sessions. */
    async setPassword(userId: string, password: string, at: Date): Promise<void> {
      const passwordHash = await hash(password, ARGON2_OPTIONS);
      const result = await Users.updateOne(
        { _id: userId },
        { $set: { passwordHash, passwordChangedAt: at } },
      );
      if (!result.matchedCount) throw new NotFoundError('User');
    },

    /**
     * Blocks (`block` given) or unblocks an account. One writer at a time (an admin's action), so a plain
     * update is enough; sessions are ended by the auth service, which calls this first.
     */
    async setBlocked(
      userId: string,
      block: { reason: string; by: string; at: Date } | null,
    ): Promise<AccountAccess> {
      const doc = await Users.findByIdAndUpdate(
        userId,
        {
          $set: {
            disabled: !!block,
            blockedReason: block?.reason ?? null,
            blockedBy: block?.by ?? null,
            blockedAt: block?.at ?? null,
          },
        },
        { returnDocument: 'after' },
      ).lean<UserDoc>();
      if (!doc) throw new NotFoundError('User');
      await changed(userId);
      return toAccess(doc);
    },

    /**
     * Replaces an account's roles (an admin's action: one writer at a time, a plain update). Returns the
     * account before and after.
     */
    async setRoles(userId: string, roles: Role[]): Promise<{ before: AccountAccess; after: AccountAccess }> {
      const doc = await Users.findById(userId).lean<UserDoc>();
      if (!doc) throw new NotFoundError('User');
      await Users.updateOne({ _id: userId }, { $set: { roles } });
      await changed(userId);
      return { before: toAccess(doc), after: toAccess({ ...doc, roles }) };
    },

    /** Accounts by id, blocked ones included (lists show names); missing ids are left out. */
    async accessOf(ids: readonly string[]): Promise<Map<string, AccountAccess>> {
      const unique = [...new Set(ids)];
      // One `_id` lookup each: FerretDB scans the collection for `_id: {$in: …}` (docs/ARCHITECTURE.md).
      const docs = await Promise.all(unique.map((id) => Users.findById(id).lean<UserDoc>()));
      return new Map(docs.filter((d): d is UserDoc => !!d).map((d) => [d._id, toAccess(d)]));
    },

    /** Every account's searchable facts, in `_id` order, a batch at a time (loads the search index). */
    async *searchableFacts(batchSize = 5000): AsyncGenerator<SearchableUser[]> {
      let batch: SearchableUser[] = [];
      const cursor = Users.find({}, { passwordHash: 0 })
        .lean<(UserDoc & { phone?: string | null })[]>()
        .cursor({ batchSize });
      for await (const doc of cursor) {
        batch.push(toSearchable(doc));
        if (batch.length >= batchSize) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length) yield batch;
    },

    /** One account's searchable facts, or null when it is gone. */
    async searchableFactsOf(userId: string): Promise<SearchableUser | null> {
      const doc = await Users.findById(userId).lean<UserDoc & { phone?: string | null }>();
      return doc ? toSearchable(doc) : null;
    },

    /** An account as an admin sees it, blocked or not; null when there is no such user. */
    async getAccess(userId: string): Promise<AccountAccess | null> {
      const doc = await Users.findById(userId).lean<UserDoc>();
      return doc ? toAccess(doc) : null;
    },

    async getUser(id: string): Promise<User | null> {
      const doc = await Users.findById(id).lean<UserDoc>();
      return doc && !doc.disabled ? toUser(doc) : null;
    },

    async requireUser(id: string): Promise<User> {
      const user = await this.getUser(id);
      if (!user) throw new NotFoundError('User');
      return user;
    },

    async attachShop(userId: string, shopId: string): Promise<void> {
      await Users.updateOne({ _id: userId }, { $set: { shopId }, $addToSet: { roles: 'seller' } });
      await changed(userId);
    },

    async deleteUser(id: string): Promise<void> {
      await Users.deleteOne({ _id: id });
      await changed(id);
    },

    async count(): Promise<number> {
      return Users.estimatedDocumentCount();
    },
  };
}

export type UserService = ReturnType<typeof createUserService>;
