import { randomUUID } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { Connection } from 'mongoose';
import { ConflictError, isDuplicateKeyError, NotFoundError, ValidationError } from '../errors';
import { newId } from '../ids';
import { phoneClaimModel, userModel, type UserDoc } from './model';
import { checkPassword, type PasswordOwner } from './password-policy';
import type { AccountAccess, CredentialCheck, Locale, Role, User } from './types';
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
  locale?: Locale;
}

/** The fields a person edits on their profile page. */
export interface ProfileChange {
  name?: string;
  locale?: Locale;
}

export function toUser(doc: UserDoc): User {
  return {
    id: doc._id,
    email: doc.email,
    name: doc.name,
    roles: doc.roles,
    shopId: doc.shopId ?? null,
    locale: doc.locale ?? 'zh',
    emailVerified: !!doc.emailVerifiedAt,
    phone: doc.phone ?? null,
    avatarUrl: doc.avatarKey ? `/media/avatars/${doc.avatarKey}/256` : null,
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

/**
 * What the back office finds an account by and shows in a result row: the account as everyone sees it
 * (`phone` in E.164; the index searches its digits) and whether it is blocked.
 */
export interface SearchableUser extends User {
  blocked: boolean;
}

function toSearchable(doc: UserDoc): SearchableUser {
  return { ...toUser(doc), blocked: !!doc.disabled };
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
  const PhoneClaims = phoneClaimModel(deps.connection);

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
          locale: input.locale ?? 'zh',
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
      const cursor = Users.find({}, { passwordHash: 0 }).lean<UserDoc[]>().cursor({ batchSize });
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
      const doc = await Users.findById(userId).lean<UserDoc>();
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

    async passwordChangedAt(userId: string): Promise<Date | null> {
      const doc = await Users.findById(userId, { passwordChangedAt: 1 }).lean<
        Pick<UserDoc, 'passwordChangedAt'>
      >();
      return doc?.passwordChangedAt ?? null;
    },

    /** The active account with this email, or null (password reset; never says which it was). */
    async findByEmail(email: string): Promise<User | null> {
      const doc = await Users.findOne({ email: normalizeEmail(email) }).lean<UserDoc>();
      return doc && !doc.disabled ? toUser(doc) : null;
    },

    /** The active account whose verified login phone this is, or null. */
    async findByPhone(phone: string): Promise<User | null> {
      const claim = await PhoneClaims.findById(phone).lean();
      return claim ? this.getUser(claim.userId) : null;
    },

    /** Name and language; one writer (the person), so a plain update. */
    async updateProfile(userId: string, change: ProfileChange): Promise<User> {
      const set: Partial<UserDoc> = {};
      if (change.name !== undefined) set.name = change.name.trim();
      if (change.locale !== undefined) set.locale = change.locale;
      const doc = await Users.findOneAndUpdate(
        { _id: userId, disabled: false },
        { $set: set },
        {
          returnDocument: 'after',
        },
      ).lean<UserDoc>();
      if (!doc) throw new NotFoundError('User');
      await changed(userId);
      return toUser(doc);
    },

    /** Marks the address verified if it is still the account's address (the link may be old). */
    async markEmailVerified(userId: string, email: string, at: Date): Promise<boolean> {
      const doc = await Users.findById(userId).lean<UserDoc>();
      if (!doc || doc.disabled || doc.email !== normalizeEmail(email)) return false;
      if (!doc.emailVerifiedAt) {
        await Users.updateOne({ _id: userId }, { $set: { emailVerifiedAt: at } });
        await changed(userId);
      }
      return true;
    },

    /**
     * Makes a verified number the account's login phone. The claim (unique `_id` = number) decides
     * between two accounts verifying one number at once; the old number's claim is released after.
     */
    async setPhone(userId: string, phone: string, at: Date): Promise<User> {
      const doc = await Users.findById(userId).lean<UserDoc>();
      if (!doc || doc.disabled) throw new NotFoundError('User');
      try {
        await PhoneClaims.create({ _id: phone, userId, at });
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
        const holder = await PhoneClaims.findById(phone).lean();
        if (holder?.userId !== userId)
          throw new ConflictError('This number belongs to another account', {
            fields: [{ field: 'body.phone', message: 'already used by another account' }],
          });
      }
      await Users.updateOne({ _id: userId }, { $set: { phone } });
      if (doc.phone && doc.phone !== phone) await PhoneClaims.deleteOne({ _id: doc.phone, userId });
      await changed(userId);
      return toUser({ ...doc, phone });
    },

    /**
     * Points the account at a profile photo (null: none); one writer (the person), so a plain update.
     * Returns the previous photo's key, whose files the caller removes.
     */
    async setAvatar(
      userId: string,
      avatarKey: string | null,
    ): Promise<{ user: User; previousKey: string | null }> {
      const before = await Users.findById(userId).lean<UserDoc>();
      if (!before || before.disabled) throw new NotFoundError('User');
      await Users.updateOne({ _id: userId }, { $set: { avatarKey } });
      await changed(userId);
      return { user: toUser({ ...before, avatarKey }), previousKey: before.avatarKey ?? null };
    },

    /** Everything stored about the person on their account document, without the password hash. */
    async exportProfile(userId: string): Promise<Record<string, unknown> | null> {
      const doc = await Users.findById(userId).lean<UserDoc>();
      if (!doc) return null;
      const { passwordHash: _hash, ...rest } = doc;
      return { ...rest, id: doc._id };
    },

    /**
     * Erases the person from their account: name, email, phone, photo and password go, the document
     * stays (orders and reviews point at its id) as a disabled "Closed account". The email becomes
     * `closed-<id>@closed.invalid`, which frees the real address for a new registration (uniqueness is
     * the email index), and the phone claim is released.
     */
    async eraseAccount(userId: string, at: Date): Promise<{ avatarKey: string | null }> {
      const doc = await Users.findById(userId).lean<UserDoc>();
      if (!doc) throw new NotFoundError('User');
      await Users.updateOne(
        { _id: userId },
        {
          $set: {
            name: 'Closed account',
            email: `closed-${userId.toLowerCase()}@closed.invalid`,
            passwordHash: await hash(randomUUID(), ARGON2_OPTIONS),
            phone: null,
            avatarKey: null,
            emailVerifiedAt: null,
            disabled: true,
            blockedReason: 'closed by its owner',
            blockedBy: userId,
            blockedAt: at,
            closedAt: at,
          },
        },
      );
      if (doc.phone) await PhoneClaims.deleteOne({ _id: doc.phone, userId });
      await changed(userId);
      return { avatarKey: doc.avatarKey ?? null };
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
