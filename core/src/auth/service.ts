import { createHash, randomBytes } from 'node:crypto';
import type { Connection } from 'mongoose';
import type { User, UserService } from '../users';
import { sessionModel, type SessionDoc } from './model';
import { type Clock, systemClock } from '../clock';

export interface ResolvedSession {
  user: User;
  csrfToken: string;
  expiresAt: Date;
}

function digest(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** Sessions and credentials. Rate limiting and cookies are HTTP concerns and live in `web/`. */
export function createAuthService(deps: {
  connection: Connection;
  users: UserService;
  ttlHours: number;
  clock?: Clock;
}) {
  const Sessions = sessionModel(deps.connection);
  const now = deps.clock ?? systemClock;

  return {
    /** Starts a session for a user; returns the secret cookie token (shown once) and its CSRF token. */
    async startSession(userId: string): Promise<{ token: string; csrfToken: string; expiresAt: Date }> {
      const token = randomBytes(32).toString('base64url');
      const csrfToken = randomBytes(24).toString('base64url');
      const createdAt = now();
      const expiresAt = new Date(createdAt.getTime() + deps.ttlHours * 3_600_000);
      await Sessions.create({ _id: digest(token), userId, csrfToken, createdAt, expiresAt });
      return { token, csrfToken, expiresAt };
    },

    async resolveSession(token: string): Promise<ResolvedSession | null> {
      if (token.length < 20 || token.length > 100) return null;
      const session = await Sessions.findById(digest(token)).lean<SessionDoc>();
      if (!session || session.expiresAt <= now()) return null;
      const user = await deps.users.getUser(session.userId);
      if (!user) return null;
      return { user, csrfToken: session.csrfToken, expiresAt: session.expiresAt };
    },

    async endSession(token: string): Promise<void> {
      await Sessions.deleteOne({ _id: digest(token) });
    },

    async endAllSessions(userId: string): Promise<void> {
      await Sessions.deleteMany({ userId });
    },

    async pruneExpiredSessions(): Promise<number> {
      const result = await Sessions.deleteMany({ expiresAt: { $lte: now() } });
      return result.deletedCount;
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
