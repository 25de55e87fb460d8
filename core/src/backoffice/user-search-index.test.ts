import { describe, expect, it } from 'vitest';
import type { SearchableUser } from '../users';
import { UserSearchIndex } from './user-search-index';

const user = (
  id: string,
  email: string,
  name: string,
  extra: Partial<SearchableUser> = {},
): SearchableUser => ({
  id,
  email,
  name,
  phone: null,
  locale: 'zh',
  emailVerified: false,
  avatarUrl: null,
  roles: ['shopper'],
  shopId: null,
  blocked: false,
  createdAt: new Date(0),
  ...extra,
});

function pageAll(index: UserSearchIndex, q: string, limit: number, filter = {}): string[] {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const page = index.search(q, filter, { limit, cursor });
    ids.push(...page.ids);
    cursor = page.nextCursor;
  } while (cursor);
  return ids;
}

describe('user search index', () => {
  const people = [
    user('usr_a', 'mei.lin@example.com', 'Mei Lin', { phone: '+8613812345678' }),
    user('usr_b', 'MEIER@example.com', 'Hans Meier'),
    user('usr_c', 'wang.fang@example.com', '王芳', { roles: ['shopper', 'support'] }),
    user('usr_d', 'li@example.com', '李娜', { blocked: true }),
  ];

  it('finds by a prefix of email, a word of the name, Chinese characters, phone digits or id, ignoring case', () => {
    const index = new UserSearchIndex();
    index.reset(people);
    expect(index.search('MEI', {}, { limit: 10 }).ids.sort()).toEqual(['usr_a', 'usr_b']);
    expect(index.search('lin', {}, { limit: 10 }).ids).toEqual(['usr_a']);
    expect(index.search('王', {}, { limit: 10 }).ids).toEqual(['usr_c']);
    expect(index.search('+86 138-1234', {}, { limit: 10 }).ids).toEqual(['usr_a']);
    expect(index.search('USR_D', {}, { limit: 10 }).ids).toEqual(['usr_d']);
    expect(index.search('nobody', {}, { limit: 10 }).ids).toEqual([]);
  });

  it('filters by role and block', () => {
    const index = new UserSearchIndex();
    index.reset(people);
    expect(index.search('', { role: 'support' }, { limit: 10 }).ids).toEqual(['usr_c']);
    expect(index.search('', { blocked: true }, { limit: 10 }).ids).toEqual(['usr_d']);
    expect(index.search('', { blocked: false }, { limit: 10 }).ids).not.toContain('usr_d');
  });

  it('pages through every match once, in any page size, however many keys each account matches by', () => {
    const index = new UserSearchIndex();
    const many = Array.from({ length: 500 }, (_, i) =>
      user(`usr_${String(i).padStart(4, '0')}`, `ann${i}@example.com`, i % 3 ? `Ann ${i}` : `Bo Ann${i}`),
    );
    index.reset(many);
    for (const limit of [1, 7, 50, 100, 1000]) {
      const ids = pageAll(index, 'ann', limit);
      expect(new Set(ids).size, `limit ${limit}`).toBe(ids.length);
      expect(ids.length, `limit ${limit}`).toBe(500);
    }
  });

  it('follows changes: a renamed account is found by its new name only, a removed one not at all', () => {
    const index = new UserSearchIndex();
    index.reset(people);
    // Enough inserts to split chunks several times.
    for (let i = 0; i < 5000; i++)
      index.upsert(`usr_x${i}`, user(`usr_x${i}`, `x${i}@example.com`, `Xavier ${i}`));
    index.upsert('usr_a', { ...people[0]!, name: 'Mei Chen' });
    expect(index.search('lin', {}, { limit: 10 }).ids).toEqual([]);
    expect(index.search('chen', {}, { limit: 10 }).ids).toEqual(['usr_a']);
    index.upsert('usr_b', null);
    expect(index.search('meier', {}, { limit: 10 }).ids).toEqual([]);
    expect(pageAll(index, 'xavier', 333)).toHaveLength(5000);
    expect(index.size).toBe(people.length - 1 + 5000);
  });

  it('refuses a cursor it did not make', () => {
    const index = new UserSearchIndex();
    index.reset(people);
    expect(() => index.search('mei', {}, { limit: 1, cursor: 'not-a-cursor' })).toThrow(/invalid/);
  });
});
