import { ValidationError } from '../errors';
import type { Role, SearchableUser } from '../users';
import { ROLES } from '../users';

/** Entries per chunk before it splits: small enough that an insert's splice is cheap at millions. */
const CHUNK_MAX = 2048;

interface Entry {
  key: string;
  id: string;
}

interface Indexed {
  /** What a result row shows, so a page of results needs no reads from the store. */
  facts: SearchableUser;
  keys: string[];
  /** Role bits (ROLES order) and the blocked bit above them. */
  flags: number;
}

const BLOCKED_BIT = 1 << ROLES.length;
const roleBit = (role: Role) => 1 << ROLES.indexOf(role);

function compareEntries(a: Entry, b: Entry): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Lower-cased, NFKC-normalised, inner spaces collapsed: how keys and queries are compared. */
export function normalizeSearchText(text: string): string {
  return text.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, ' ');
}

/**
 * The keys an account is found by: its email, its id, its name and each later word of it ("mei lin"
 * and "lin"; a Chinese name is one word, found by a prefix of its characters), and its phone digits.
 */
export function searchKeysOf(user: Pick<SearchableUser, 'id' | 'email' | 'name' | 'phone'>): string[] {
  const name = normalizeSearchText(user.name);
  const words = name.split(' ').slice(1);
  const keys = [normalizeSearchText(user.email), user.id.toLowerCase(), name, ...words];
  if (user.phone) keys.push(phoneDigits(user.phone));
  return [...new Set(keys.filter(Boolean))];
}

export interface UserSearchFilter {
  role?: Role;
  blocked?: boolean;
}

export interface UserSearchPage {
  ids: string[];
  nextCursor: string | null;
}

/**
 * Prefix search over every account's keys, in memory. Why: FerretDB 1.24 pushes only `_id` equality
 * down to SQLite, so a regex or range on `email` decodes the whole users collection in Go (seconds at
 * a million). Here the keys sit in one sorted sequence, kept as chunks of at most `CHUNK_MAX` entries so
 * an update splices a small array; a prefix is a binary search, then a walk.
 *
 * Paging has no repeats and no gaps while the index does not change: an account matching a query by
 * several keys is listed once, at the smallest of them, and the cursor is the last (key, id) listed.
 */
export class UserSearchIndex {
  private chunks: Entry[][] = [[]];
  private readonly users = new Map<string, Indexed>();

  get size(): number {
    return this.users.size;
  }

  /** Replaces the content (start-up load): one sort instead of a million inserts. */
  reset(users: Iterable<SearchableUser>): void {
    this.users.clear();
    const entries: Entry[] = [];
    for (const user of users) {
      const indexed = this.toIndexed(user);
      this.users.set(user.id, indexed);
      for (const key of indexed.keys) entries.push({ key, id: user.id });
    }
    entries.sort(compareEntries);
    this.chunks = [];
    for (let i = 0; i < entries.length; i += CHUNK_MAX / 2)
      this.chunks.push(entries.slice(i, i + CHUNK_MAX / 2));
    if (!this.chunks.length) this.chunks.push([]);
  }

  /** An indexed account's facts, or undefined. */
  facts(id: string): SearchableUser | undefined {
    return this.users.get(id)?.facts;
  }

  /** Adds or replaces an account (null facts: removes it). */
  upsert(id: string, user: SearchableUser | null): void {
    const previous = this.users.get(id);
    if (previous) for (const key of previous.keys) this.removeEntry({ key, id });
    this.users.delete(id);
    if (!user) return;
    const indexed = this.toIndexed(user);
    this.users.set(id, indexed);
    for (const key of indexed.keys) this.insertEntry({ key, id });
  }

  /**
   * Accounts with a key starting with `query` (normalised; a phone number's punctuation and +86 are
   * dropped), sorted by that key, `limit` at a time. An empty query lists everyone.
   */
  search(
    query: string,
    filter: UserSearchFilter,
    page: { limit: number; cursor?: string | null },
  ): UserSearchPage {
    const prefixes = queryPrefixes(query);
    const after = page.cursor ? decodeCursor(page.cursor) : null;
    const wanted = (filter.role ? roleBit(filter.role) : 0) | (filter.blocked === true ? BLOCKED_BIT : 0);
    const ids: string[] = [];
    let last: Entry | null = null;
    // Walk each prefix's range; several prefixes (a phone typed with +86) merge by (key, id).
    const walkers = prefixes.map((prefix) => this.walk(prefix, after));
    const heads = walkers.map((w) => w.next());
    for (;;) {
      let best = -1;
      for (let i = 0; i < heads.length; i++) {
        const head = heads[i]!;
        if (head.done) continue;
        if (best < 0 || compareEntries(head.value, heads[best]!.value as Entry) < 0) best = i;
      }
      if (best < 0) break;
      const entry = heads[best]!.value as Entry;
      heads[best] = walkers[best]!.next();
      const indexed = this.users.get(entry.id);
      if (!indexed) continue;
      if ((indexed.flags & wanted) !== wanted) continue;
      if (filter.blocked === false && indexed.flags & BLOCKED_BIT) continue;
      // Listed once, at its smallest matching key.
      const first = indexed.keys.filter((k) => prefixes.some((p) => k.startsWith(p))).sort()[0];
      if (first !== entry.key) continue;
      if (ids.length === page.limit) return { ids, nextCursor: encodeCursor(last!) };
      ids.push(entry.id);
      last = entry;
    }
    return { ids, nextCursor: null };
  }

  private toIndexed(user: SearchableUser): Indexed {
    let flags = user.blocked ? BLOCKED_BIT : 0;
    for (const role of user.roles) if (ROLES.includes(role)) flags |= roleBit(role);
    return { facts: user, keys: searchKeysOf(user), flags };
  }

  /** Entries from the first with `key >= prefix` (and after `after`) while they start with `prefix`. */
  private *walk(prefix: string, after: Entry | null): Generator<Entry> {
    const from = after && after.key >= prefix ? after : { key: prefix, id: '' };
    let [c, i] = this.locate(from);
    if (after && after.key >= prefix) i = this.skipPast(c, i, after);
    for (; c < this.chunks.length; c++, i = 0) {
      const chunk = this.chunks[c]!;
      for (; i < chunk.length; i++) {
        const entry = chunk[i]!;
        // Entries come in key order from the first at or after `prefix`: the first that does not start
        // with it is past the range.
        if (!entry.key.startsWith(prefix)) return;
        yield entry;
      }
    }
  }

  private skipPast(c: number, i: number, after: Entry): number {
    const chunk = this.chunks[c];
    if (chunk && i < chunk.length && compareEntries(chunk[i]!, after) === 0) return i + 1;
    return i;
  }

  /** Chunk and position of the first entry not below `entry`. */
  private locate(entry: Entry): [number, number] {
    let lo = 0;
    let hi = this.chunks.length - 1;
    // The last chunk whose first entry is <= entry.
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      const head = this.chunks[mid]![0];
      if (head && compareEntries(head, entry) <= 0) lo = mid;
      else hi = mid - 1;
    }
    const chunk = this.chunks[lo]!;
    let a = 0;
    let b = chunk.length;
    while (a < b) {
      const mid = (a + b) >>> 1;
      if (compareEntries(chunk[mid]!, entry) < 0) a = mid + 1;
      else b = mid;
    }
    return [lo, a];
  }

  private insertEntry(entry: Entry): void {
    const [c, i] = this.locate(entry);
    const chunk = this.chunks[c]!;
    chunk.splice(i, 0, entry);
    if (chunk.length > CHUNK_MAX)
      this.chunks.splice(c, 1, chunk.slice(0, CHUNK_MAX / 2), chunk.slice(CHUNK_MAX / 2));
  }

  private removeEntry(entry: Entry): void {
    const [c, i] = this.locate(entry);
    const chunk = this.chunks[c]!;
    if (i < chunk.length && compareEntries(chunk[i]!, entry) === 0) {
      chunk.splice(i, 1);
      if (!chunk.length && this.chunks.length > 1) this.chunks.splice(c, 1);
    }
  }
}

/** A number's digits, a mainland mobile without its +86: what "138…" is typed as. */
function phoneDigits(phone: string): string {
  return phone.replace(/\D/g, '').replace(/^86(?=1\d{10}$)/, '');
}

/** The prefixes a query stands for: itself, and a phone number's digits without +86 when it is one. */
function queryPrefixes(query: string): string[] {
  const text = normalizeSearchText(query);
  const prefixes = [text];
  if (/^[+\d][\d\s-]*$/.test(text)) {
    const digits = text.replace(/\D/g, '').replace(/^86(?=1\d)/, '');
    if (digits && digits !== text) prefixes.push(digits);
  }
  return prefixes;
}

function encodeCursor(entry: Entry): string {
  return Buffer.from(JSON.stringify([entry.key, entry.id])).toString('base64url');
}

function decodeCursor(cursor: string): Entry {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && typeof parsed[0] === 'string' && typeof parsed[1] === 'string')
      return { key: parsed[0], id: parsed[1] };
  } catch {
    // fall through
  }
  throw new ValidationError([{ field: 'query.cursor', message: 'invalid cursor' }]);
}
