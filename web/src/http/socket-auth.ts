import { parse } from 'cookie';
import Keygrip from 'keygrip';
import type { CoreServices } from '@market/core';
import { SESSION_COOKIE } from './session';

/**
 * Resolves a Socket.IO handshake's Cookie header to the session user, checking the signature exactly
 * as Koa's `ctx.cookies.get(name, { signed: true })` does.
 */
export function createSocketSessionResolver(auth: CoreServices['auth'], keys: string[]) {
  const grip = new Keygrip(keys);
  return async (header: string | undefined) => {
    if (!header) return null;
    const cookies = parse(header);
    const token = cookies[SESSION_COOKIE];
    const sig = cookies[`${SESSION_COOKIE}.sig`];
    if (!token || !sig || grip.index(`${SESSION_COOKIE}=${token}`, sig) < 0) return null;
    const session = await auth.resolveSession(token);
    return session ? { id: session.user.id, roles: session.user.roles } : null;
  };
}
