import { randomInt } from 'node:crypto';
import { isDuplicateKeyError } from '../errors';
import type { Clock } from '../clock';
import type { ReferralCollections } from './model';

/** No 0/O, 1/I/L, 2/Z, 5/S, 8/B: a code read aloud or copied by hand comes out right. */
export const CODE_ALPHABET = 'ACDEFGHJKMNPQRTUVWXY34679';
export const CODE_LENGTH = 7;

/** Upper case, without spaces or dashes a person typed; null if it cannot be an invite code. */
export function normalizeInviteCode(input: string): string | null {
  const code = input.trim().toUpperCase().replace(/[\s-]/g, '');
  if (code.length !== CODE_LENGTH) return null;
  return [...code].every((c) => CODE_ALPHABET.includes(c)) ? code : null;
}

function randomCode(): string {
  let code = '';
  for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

/**
 * An account's invite code, made on first use. The code is claimed by inserting it as an `_id` (a
 * duplicate draws another); the account's owner document is inserted next, and if two requests raced,
 * the first owner insert wins and both answer with its code (the loser's claim still points to the same
 * account, so it stays a working alias rather than a code someone else could draw).
 */
export function createInviteCodes(deps: { collections: ReferralCollections; clock: Clock }) {
  const { codes, owners } = deps.collections;

  async function claimFresh(userId: string): Promise<string> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const code = randomCode();
      try {
        await codes.insertOne({ _id: code, userId, at: deps.clock() });
        return code;
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
      }
    }
    throw new Error('no free invite code after 20 draws');
  }

  return {
    async codeOf(userId: string): Promise<string> {
      const owner = await owners.findOne({ _id: userId });
      if (owner) return owner.code;
      const code = await claimFresh(userId);
      try {
        await owners.insertOne({ _id: userId, code, at: deps.clock() });
        return code;
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
        return (await owners.findOne({ _id: userId }))!.code;
      }
    },
    /** The account a code belongs to, or null. */
    async ownerOf(code: string): Promise<string | null> {
      const normalized = normalizeInviteCode(code);
      if (!normalized) return null;
      return (await codes.findOne({ _id: normalized }))?.userId ?? null;
    },
  };
}
