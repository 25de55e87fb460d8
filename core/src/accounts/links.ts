import type { Connection } from 'mongoose';
import type { AuthService } from '../auth';
import type { Clock } from '../clock';
import { isDuplicateKeyError } from '../errors';
import type { NotificationService } from '../notifications';
import { requireAcceptablePassword, type Locale, type User, type UserService } from '../users';
import { InvalidLinkError } from './errors';
import { accountModels, type AccountLinkDoc } from './model';
import { digestOf, isLinkToken, newLinkToken } from './tokens';

export const PASSWORD_RESET_MINUTES = 30;
export const EMAIL_VERIFICATION_HOURS = 48;

/**
 * Links sent by email: password reset (30 minutes, single use, every session ends after it) and email
 * verification. The token is 32 random bytes; the database keeps its SHA-256 only.
 */
export function createAccountLinks(deps: {
  connection: Connection;
  users: UserService;
  auth: AuthService;
  notifications: NotificationService;
  baseUrl: () => string;
  clock: Clock;
}) {
  const { Links, LinkUses } = accountModels(deps.connection);
  const now = deps.clock;

  async function issue(user: User, purpose: AccountLinkDoc['purpose'], ttlMs: number): Promise<string> {
    const { token, digest } = newLinkToken();
    const createdAt = now();
    await Links.create({
      _id: digest,
      purpose,
      userId: user.id,
      email: user.email,
      expiresAt: new Date(createdAt.getTime() + ttlMs),
      createdAt,
    });
    return token;
  }

  /** The live link of this token and purpose, or InvalidLinkError (unknown, expired or used). */
  async function live(token: string, purpose: AccountLinkDoc['purpose']): Promise<AccountLinkDoc> {
    if (!isLinkToken(token)) throw new InvalidLinkError();
    const link = await Links.findById(digestOf(token)).lean<AccountLinkDoc>();
    if (!link || link.purpose !== purpose || link.expiresAt <= now()) throw new InvalidLinkError();
    if (await LinkUses.exists({ _id: `used:${link._id}` })) throw new InvalidLinkError();
    return link;
  }

  /** Uses a link up: the one caller whose insert succeeds may act on it. */
  async function consume(link: AccountLinkDoc): Promise<void> {
    try {
      await LinkUses.create({ _id: `used:${link._id}`, at: now() });
    } catch (err) {
      if (isDuplicateKeyError(err)) throw new InvalidLinkError();
      throw err;
    }
  }

  return {
    /**
     * Sends a reset link if `email` belongs to an active account, and does nothing visible otherwise:
     * the caller answers the same either way (and runs this in a job, so the answer takes as long).
     */
    async requestPasswordReset(email: string, locale: Locale | null): Promise<{ sent: boolean }> {
      const user = await deps.users.findByEmail(email);
      if (!user) return { sent: false };
      const token = await issue(user, 'password_reset', PASSWORD_RESET_MINUTES * 60_000);
      const url = new URL('/reset-password', deps.baseUrl());
      url.searchParams.set('token', token);
      await deps.notifications.sendAccountMail({ ...user, locale: locale ?? user.locale }, 'password_reset', {
        url: url.href,
        minutes: PASSWORD_RESET_MINUTES,
      });
      return { sent: true };
    },

    /** Whether a reset link can still be used (the reset page asks before showing the form). */
    async checkResetLink(token: string): Promise<{ email: string }> {
      const link = await live(token, 'password_reset');
      return { email: link.email };
    },

    /**
     * Sets a new password from a reset link: the policy first (a weak password does not use the link
     * up), then the single-use claim, then the password, then every session of the account ends (their
     * sockets disconnect through `sessions.ended`).
     */
    async resetPassword(
      token: string,
      newPassword: string,
    ): Promise<{ userId: string; endedSessions: number }> {
      const link = await live(token, 'password_reset');
      const user = await deps.users.getUser(link.userId);
      if (!user || user.email !== link.email) throw new InvalidLinkError();
      const changedAt = await deps.users.passwordChangedAt(user.id);
      if (changedAt && changedAt > link.createdAt) throw new InvalidLinkError();
      requireAcceptablePassword(newPassword, user, 'body.password');
      await consume(link);
      await deps.users.setPassword(user.id, newPassword, now());
      const endedSessions = await deps.auth.endAllSessions(user.id, 'password_reset');
      return { userId: user.id, endedSessions };
    },

    /** Mails a verification link to the account's address. */
    async sendEmailVerification(user: User): Promise<void> {
      const token = await issue(user, 'email_verification', EMAIL_VERIFICATION_HOURS * 3_600_000);
      const url = new URL('/verify-email', deps.baseUrl());
      url.searchParams.set('token', token);
      await deps.notifications.sendAccountMail(user, 'email_verification', { url: url.href });
    },

    async verifyEmail(token: string): Promise<{ userId: string }> {
      const link = await live(token, 'email_verification');
      await consume(link);
      if (!(await deps.users.markEmailVerified(link.userId, link.email, now()))) throw new InvalidLinkError();
      return { userId: link.userId };
    },

    /** Deletes links past their expiry (no TTL indexes on FerretDB) and their use marks. */
    async pruneExpired(): Promise<number> {
      const old = await Links.find({ expiresAt: { $lte: now() } }, { _id: 1 })
        .limit(1000)
        .lean();
      const ids = old.map((l) => l._id);
      if (!ids.length) return 0;
      await Links.deleteMany({ _id: { $in: ids } });
      await LinkUses.deleteMany({ _id: { $in: ids.map((id) => `used:${id}`) } });
      return ids.length;
    },

    async eraseFor(userId: string): Promise<void> {
      await Links.deleteMany({ userId });
    },
  };
}
