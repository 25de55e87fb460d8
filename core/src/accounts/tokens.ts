import { createHash, randomBytes } from 'node:crypto';

/** 32 random bytes, base64url: what a link carries. Only its SHA-256 is stored. */
export function newLinkToken(): { token: string; digest: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, digest: digestOf(token) };
}

export function digestOf(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** Whether `token` has the shape `newLinkToken` makes (so junk never reaches the database). */
export const isLinkToken = (token: string) => /^[A-Za-z0-9_-]{43}$/.test(token);
