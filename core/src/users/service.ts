import { hash, verify } from '@node-rs/argon2';
import type { Connection } from 'mongoose';
import { ConflictError, isDuplicateKeyError, NotFoundError } from '../errors';
import { newId } from '../ids';
import { userModel, type UserDoc } from './model';
import type { Role, User } from './types';

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

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function createUserService(deps: { connection: Connection }) {
  const Users = userModel(deps.connection);

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

    /** Returns the user when the password matches, null otherwise (unknown email included). */
    async verifyCredentials(email: string, password: string): Promise<User | null> {
      const doc = await Users.findOne({ email: normalizeEmail(email) }).lean<UserDoc>();
      if (!doc || doc.disabled) {
        await verify(await DUMMY_HASH_PROMISE, password);
        return null;
      }
      return (await verify(doc.passwordHash, password)) ? toUser(doc) : null;
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
    },

    async deleteUser(id: string): Promise<void> {
      await Users.deleteOne({ _id: id });
    },

    async count(): Promise<number> {
      return Users.estimatedDocumentCount();
    },
  };
}

export type UserService = ReturnType<typeof createUserService>;
