import { createHash, randomBytes } from 'node:crypto';
import type { Connection } from 'mongoose';
import { ForbiddenError, NotFoundError, WrongPasswordError } from '../errors';
import type { EventBus, SessionEndReason } from '../events';
import { requireAcceptablePassword, type AccountAccess, type User, type UserService } from '../users';
import { sessionModel, type SessionDoc } from './model';
import { type Clock, systemClock } from '../clock';
import { SessionCache } from './session-cache';

export interface ResolvedSession {
  /** Opaque id of the session (the digest of its token): names its sockets' room, never the cookie. */
  id: string;
  user: User;
  csrfToken: string;
  expiresAt: Date;
}

/** How many expired sessions one prune step deletes (and announces) at a time. */
const PRUNE_BATCH = 500;

function digest(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/**
 * Sessions and credentials. Rate limiting and cookies are HTTP concerns and live in `web/`. Every way a
 * session ends (logout, a new login in the same browser, expiry, a password change, a block) publishes
 * `sessions.ended`, so the realtime layer can disconnect the sockets that session opened on every node.
 */
export function createAuthService(deps: {
  connection: Connection;
  users: UserService;
  bus: EventBus;
  ttlHours: number;
  /** How long a resolved session may be answered from memory (0: every request reads the store). */
  cacheMs?: number;
  clock?: Clock;
}) {
  const Sessions = sessionModel(deps.connection);
  const now = deps.clock ?? systemClock;
  const cache = new SessionCache(deps.cacheMs ?? 0);
  if (cache.enabled) {
    // Other processes' logouts, blocks and role changes (this process forgets its own before answering).
    deps.bus.subscribe('sessions.ended', (e) =>
      cache.forgetSessions(e.userId, e.sessionIds, e.keptSessionId),
    );
    deps.bus.subscribe('user.changed', (e) => cache.forgetUser(e.userId));
  }

  function announce(
    userId: string,
    ended: { sessionIds: string[] } | { keptSessionId: string | null },
    reason: SessionEndReason,
  ): Promise<void> {
    return deps.bus.publish('sessions.ended', {
      userId,
      sessionIds: 'sessionIds' in ended ? ended.sessionIds : null,
      keptSessionId: 'keptSessionId' in ended ? ended.keptSessionId : null,
      reason,
      at: now().toISOString(),
    });
  }

  async function endSessionById(id: string, userId: string, reason: SessionEndReason): Promise<void> {
    cache.forgetSessions(userId, [id]);
    await Sessions.deleteOne({ _id: id });
    await announce(userId, { sessionIds: [id] }, reason);
  }

  async function endOtherSessions(userId: string, keptSessionId: string | null, reason: SessionEndReason) {
    const filter = keptSessionId ? { userId, _id: { $ne: keptSessionId } } : { userId };
    cache.forgetSessions(userId, null, keptSessionId);
    const result = await Sessions.deleteMany(filter);
    // Announced even when nothing was deleted: a socket may outlive its document (an earlier event lost).
    await announce(userId, { keptSessionId }, reason);
    return result.deletedCount;
  }

  return {
    /** Starts a session for a user; returns the secret cookie token (shown once) and its CSRF token. */
    async startSession(
      userId: string,
    ): Promise<{ id: string; token: string; csrfToken: string; expiresAt: Date }> {
      const token = randomBytes(32).toString('base64url');
      const csrfToken = randomBytes(24).toString('base64url');
      const createdAt = now();
      const expiresAt = new Date(createdAt.getTime() + deps.ttlHours * 3_600_000);
      const id = digest(token);
      await Sessions.create({ _id: id, userId, csrfToken, createdAt, expiresAt });
      return { id, token, csrfToken, expiresAt };
    },

    /** The session of a cookie token, or null. An expired session found here ends now (not at the prune). */
    async resolveSession(token: string): Promise<ResolvedSession | null> {
      if (token.length < 20 || token.length > 100) return null;
      const id = digest(token);
      const cached = cache.get(id, now().getTime());
      if (cached) return cached;
      const session = await Sessions.findById(id).lean<SessionDoc>();
      if (!session) return null;
      if (session.expiresAt <= now()) {
        await endSessionById(id, session.userId, 'expired');
        return null;
      }
      const user = await deps.users.getUser(session.userId);
      if (!user) return null;
      const resolved = { id, user, csrfToken: session.csrfToken, expiresAt: session.expiresAt };
      cache.set(resolved, now().getTime());
      return resolved;
    },

    /**
     * Whether a session is still live: not ended, not expired, its user not blocked. Two `_id` lookups,
     * cheap enough to run before every realtime room join.
     */
    async isSessionActive(sessionId: string): Promise<boolean> {
      const session = await Sessions.findById(sessionId).lean<SessionDoc>();
      if (!session || session.expiresAt <= now()) return false;
      return !!(await deps.users.getUser(session.userId));
    },

    /** Ends the session of this cookie token (logout, or a new login replacing it). */
    async endSession(token: string, reason: 'logout' | 'replaced' = 'logout'): Promise<void> {
      const id = digest(token);
      const session = await Sessions.findById(id).lean<SessionDoc>();
      if (session) await endSessionById(id, session.userId, reason);
    },

    /**
     * How many live sessions a user has (the back office's person page). Filters on `userId`, which
     * FerretDB does in its own process: one staff request at a time, not a shopper's path.
     */
    async countActiveSessions(userId: string): Promise<number> {
      return Sessions.countDocuments({ userId, expiresAt: { $gt: now() } });
    },

    /** A person's sessions as metadata (never a token): when they started and until when. */
    async listSessions(userId: string): Promise<{ createdAt: Date; expiresAt: Date }[]> {
      const docs = await Sessions.find({ userId }, { createdAt: 1, expiresAt: 1 }).lean<SessionDoc[]>();
      return docs.map((d) => ({ createdAt: d.createdAt, expiresAt: d.expiresAt }));
    },

    /** Ends every session of a user; returns how many there were. */
    async endAllSessions(userId: string, reason: SessionEndReason): Promise<number> {
      return endOtherSessions(userId, null, reason);
    },

    /**
     * Deletes expired sessions (FerretDB has no TTL index; the hourly `sessions.prune` job runs this) and
     * announces them, so a socket that outlived its session is disconnected.
     */
    async pruneExpiredSessions(): Promise<number> {
      let deleted = 0;
      for (;;) {
        const expired = await Sessions.find({ expiresAt: { $lte: now() } }, { _id: 1, userId: 1 })
          .limit(PRUNE_BATCH)
          .lean<Pick<SessionDoc, '_id' | 'userId'>[]>();
        if (!expired.length) return deleted;
        const result = await Sessions.deleteMany({ _id: { $in: expired.map((s) => s._id) } });
        deleted += result.deletedCount;
        const byUser = new Map<string, string[]>();
        for (const s of expired) byUser.set(s.userId, [...(byUser.get(s.userId) ?? []), s._id]);
        for (const [userId, sessionIds] of byUser) await announce(userId, { sessionIds }, 'expired');
        if (expired.length < PRUNE_BATCH) return deleted;
      }
    },

    /**
     * Changes the password of the session's user after checking the current one and the policy. Every
     * other session of the user ends (a thief's included); the one that made the change stays.
     * Returns how many sessions ended.
     */
    async changePassword(
      session: { userId: string; sessionId: string },
      input: { currentPassword: string; newPassword: string },
    ): Promise<{ endedSessions: number }> {
      const user = await deps.users.getUser(session.userId);
      if (!user) throw new NotFoundError('User');
      if (!(await deps.users.verifyPassword(user.id, input.currentPassword)))
        throw new WrongPasswordError('body.currentPassword');
      requireAcceptablePassword(input.newPassword, user, 'body.newPassword', {
        differentFrom: input.currentPassword,
      });
      await deps.users.setPassword(user.id, input.newPassword, now());
      return { endedSessions: await endOtherSessions(user.id, session.sessionId, 'password_changed') };
    },

    /**
     * Blocks an account: it can no longer log in (the right password gets 403 `account_blocked`) and
     * every session of it ends at once, sockets included. The flag is written first, so a login racing
     * with the block cannot leave a usable session behind (resolving a session re-reads the user).
     */
    async blockUser(userId: string, block: { reason: string; by: string }): Promise<AccountAccess> {
      if (userId === block.by) throw new ForbiddenError('You cannot block your own account');
      const access = await deps.users.setBlocked(userId, { ...block, at: now() });
      await endOtherSessions(userId, null, 'blocked');
      return access;
    },

    async unblockUser(userId: string): Promise<AccountAccess> {
      return deps.users.setBlocked(userId, null);
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
