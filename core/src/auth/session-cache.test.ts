import { describe, expect, it } from 'vitest';
import type { User } from '../users';
import { SessionCache } from './session-cache';

const user = (id: string) => ({ id, roles: ['shopper'] }) as unknown as User;
const session = (id: string, userId: string, expiresAt = 1_000_000) => ({
  id,
  user: user(userId),
  csrfToken: `csrf-${id}`,
  expiresAt: new Date(expiresAt),
});

describe('SessionCache', () => {
  it('answers within its time limit and not after it, nor after the session itself expired', () => {
    const cache = new SessionCache(10_000);
    cache.set(session('s1', 'u1'), 0);
    cache.set(session('s2', 'u1', 5_000), 0);
    expect(cache.get('s1', 9_999)?.csrfToken).toBe('csrf-s1');
    expect(cache.get('s1', 10_000)).toBeNull();
    expect(cache.get('s2', 4_999)?.id).toBe('s2');
    expect(cache.get('s2', 5_000)).toBeNull();
  });

  it('forgets named sessions, every session of a user but the kept one, and a changed user', () => {
    const cache = new SessionCache(10_000);
    for (const [id, u] of [
      ['a1', 'ua'],
      ['a2', 'ua'],
      ['a3', 'ua'],
      ['b1', 'ub'],
    ] as const)
      cache.set(session(id, u), 0);
    cache.forgetSessions('ua', ['a1']);
    expect(cache.get('a1', 1)).toBeNull();
    expect(cache.get('a2', 1)).not.toBeNull();
    cache.forgetSessions('ua', null, 'a3');
    expect(cache.get('a2', 1)).toBeNull();
    expect(cache.get('a3', 1)).not.toBeNull();
    cache.forgetUser('ua');
    expect(cache.get('a3', 1)).toBeNull();
    expect(cache.get('b1', 1)).not.toBeNull();
  });

  it('keeps at most its size, dropping the oldest first; with no time limit it keeps nothing', () => {
    const cache = new SessionCache(10_000, 2);
    cache.set(session('s1', 'u1'), 0);
    cache.set(session('s2', 'u2'), 0);
    cache.set(session('s3', 'u3'), 0);
    expect(cache.get('s1', 1)).toBeNull();
    expect(cache.get('s2', 1)).not.toBeNull();
    expect(cache.get('s3', 1)).not.toBeNull();
    // The dropped entry's user index went with it: forgetting that user touches nothing else.
    cache.forgetUser('u1');
    expect(cache.get('s2', 1)).not.toBeNull();

    const off = new SessionCache(0);
    off.set(session('s1', 'u1'), 0);
    expect(off.get('s1', 0)).toBeNull();
  });
});
