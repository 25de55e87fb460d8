import { parse } from 'cookie';
import Keygrip from 'keygrip';
import type { CoreServices } from '@market/core';
import { SESSION_COOKIE } from './session';

/**
 * What Socket.IO needs to know about login sessions: the session of a handshake's Cookie header (its
 * signature checked exactly as Koa's `ctx.cookies.get(name, { signed: true })` does), and whether a
 * session is still live (asked before every room join and every connection-state recovery).
 */
export function createSocketSessionAuth(auth: CoreServices['auth'], keys: string[]) {
  const grip = new Keygrip(keys);
  return {
    async resolveSession(header: string | undefined) {
      if (!header) return null;
      const cookies = parse(header);
      const token = cookies[SESSION_COOKIE];
      const sig = cookies[`${SESSION_COOKIE}.sig`];
      if (!token || !sig || grip.index(`${SESSION_COOKIE}=${token}`, sig) < 0) return null;
      const session = await auth.resolveSession(token);
      return session
        ? {
            id: session.id,
            user: { id: session.user.id, roles: session.user.roles },
            expiresAt: session.expiresAt,
          }
        : null;
    },
    isSessionActive: (sessionId: string) => auth.isSessionActive(sessionId),
  };
}
