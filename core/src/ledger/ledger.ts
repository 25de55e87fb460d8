import { setTimeout as sleep } from 'node:timers/promises';
import type { Collection, Connection } from 'mongoose';
import { isDuplicateKeyError, isTransientStoreError } from '../errors';
import { type Clock, systemClock } from '../clock';

/**
 * An append-only, versioned stream of entries per key (a SKU's stock, a member's points, an order's
 * status, a product's rating totals). Each entry carries the full state after it, and its `_id` is
 * `<key>:<version>`.
 *
 * Why: FerretDB 1.24 applies conditional updates and `$inc` by read-modify-write, so two writers can both
 * pass a guard such as `stock >= qty` (docs/ARCHITECTURE.md, "The store on FerretDB 1.24"). An insert
 * into the unique `_id` index is atomic on MongoDB and FerretDB alike: two writers that computed the same
 * next version collide, and the loser re-reads the new head and decides again. Every invariant the
 * caller checks in `decide` therefore holds across requests and processes.
 *
 * FerretDB pushes only `_id` equality down to SQLite, so the head is found from a hint document keyed
 * by the stream key and then by stepping forward through `<key>:<version+1>` lookups.
 */
export interface LedgerEntry {
  _id: string;
  version: number;
  at: Date;
  /**
   * What caused the entry, unique within the stream when set (e.g. `hold:<reservationId>`), so a saga
   * step that may have run before a crash can tell whether it did (see `append`'s `since`).
   */
  ref: string | null;
}

/** What `decide` returns: the new entry's own fields, `null` to refuse, or `'unchanged'` for a no-op. */
export type LedgerDecision<E> = Omit<E, keyof LedgerEntry> | null | 'unchanged';

export type AppendResult<E> =
  | { status: 'appended'; entry: E }
  | { status: 'unchanged'; entry: E }
  | { status: 'refused'; head: E | null }
  /** `ref` was found already in the stream: the step had been applied before. */
  | { status: 'already'; entry: E };

export interface AppendOptions {
  ref?: string;
  /**
   * A version at or before which `ref` cannot be in the stream. When given, the stream after it is
   * searched for `ref` first, which makes the append exactly-once when a step is retried after a crash.
   */
  since?: number;
}

const MAX_RACE_RETRIES = 400;

export interface Ledger<E extends LedgerEntry> {
  latest(key: string): Promise<E | null>;
  append(
    key: string,
    decide: (head: E | null) => LedgerDecision<E>,
    opts?: AppendOptions,
  ): Promise<AppendResult<E>>;
  /**
   * Appends the entry for `ref` exactly once, however often (and however concurrently) it is called,
   * including after a crash half-way: the first call records the stream's version in a claim keyed by
   * `<key>|<ref>`, and every call searches the stream after that version before appending.
   */
  appendOnce(
    key: string,
    ref: string,
    decide: (head: E | null) => LedgerDecision<E>,
  ): Promise<AppendResult<E>>;
  /** Whether `ref` has been appended (via `appendOnce`). */
  applied(key: string, ref: string): Promise<E | null>;
  /** The entry of `ref` after version `since`, or null. */
  findRef(key: string, ref: string, since: number): Promise<E | null>;
  /**
   * The head hints of many keys in one query (keys without entries are absent). A hint may trail its
   * stream by the writes of a writer that died before moving it; use `latest` where that matters.
   */
  hints(keys: string[]): Promise<Map<string, E>>;
  /** Newest first, walked back by `_id`. */
  history(key: string, limit: number): Promise<E[]>;
  /** First entries of new streams in one round trip (no race: the keys are new). */
  seed(entries: E[]): Promise<void>;
  collection: Collection<E>;
}

export function createLedger<E extends LedgerEntry>(deps: {
  connection: Connection;
  /** Entries collection. */
  collection: string;
  /** Head hints collection (`_id` = stream key). */
  heads: string;
  /** The field of an entry that names its stream, e.g. `sku`. */
  keyField: keyof E & string;
  clock?: Clock;
}): Ledger<E> {
  const entries = deps.connection.collection<E>(deps.collection);
  const heads = deps.connection.collection<Record<string, unknown>>(deps.heads);
  const refClaims = deps.connection.collection<{ _id: string; since: number; at: Date }>(
    `${deps.collection}_refs`,
  );
  const now = deps.clock ?? systemClock;
  const idOf = (key: string, version: number) => `${key}:${version}`;

  const byId = (id: string) => entries.findOne({ _id: id } as never) as Promise<E | null>;

  async function latest(key: string): Promise<E | null> {
    const hint = await heads.findOne({ _id: key } as never);
    let head: E | null = hint
      ? ({ ...hint, _id: idOf(key, hint.version as number), [deps.keyField]: key } as unknown as E)
      : null;
    for (;;) {
      const next = await byId(idOf(key, (head?.version ?? 0) + 1));
      if (!next) break;
      head = next;
    }
    if (head && (!hint || (hint.version as number) < head.version)) await moveHint(key, head);
    return head;
  }

  async function moveHint(key: string, head: E): Promise<void> {
    // A plain write: a late writer may set an older version, which only costs a later reader a step.
    const { _id: _ignored, ...fields } = head;
    try {
      await heads.updateOne({ _id: key } as never, { $set: fields }, { upsert: true });
    } catch (err) {
      // A busy store: the hint is only a shortcut, a later reader walks forward instead.
      if (isTransientStoreError(err)) return;
      // Two first writers both inserted the hint; the other one's insert won, so update it.
      if (!isDuplicateKeyError(err)) throw err;
      await heads.updateOne({ _id: key } as never, { $set: fields }).catch((e: unknown) => {
        if (!isTransientStoreError(e)) throw e;
      });
    }
  }

  async function findRef(key: string, ref: string, since: number): Promise<E | null> {
    for (let version = since + 1; ; version++) {
      const entry = await byId(idOf(key, version));
      if (!entry) return null;
      if (entry.ref === ref) return entry;
    }
  }

  /**
   * Appends to one stream from this process go one at a time. Not for correctness (the unique `_id` is
   * what guarantees that, across processes too) but for speed: on a hot stream, concurrent requests of
   * one process would otherwise all read the same head and all but one lose the insert race, again and
   * again. Queued, each reads a fresh head and usually wins at the first try.
   */
  const queues = new Map<string, Promise<unknown>>();
  function serialized<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = queues.get(key) ?? Promise.resolve();
    const run = previous.then(work, work);
    const tail = run.catch(() => undefined);
    queues.set(key, tail);
    void tail.then(() => {
      if (queues.get(key) === tail) queues.delete(key);
    });
    return run;
  }

  function append(
    key: string,
    decide: (head: E | null) => LedgerDecision<E>,
    opts: AppendOptions = {},
  ): Promise<AppendResult<E>> {
    return serialized(key, () => appendNow(key, decide, opts));
  }

  async function appendNow(
    key: string,
    decide: (head: E | null) => LedgerDecision<E>,
    opts: AppendOptions,
  ): Promise<AppendResult<E>> {
    let searchedUpTo = opts.since;
    for (let attempt = 0; attempt < MAX_RACE_RETRIES; attempt++) {
      const head = await latest(key);
      if (opts.ref && searchedUpTo !== undefined) {
        const found = await findRef(key, opts.ref, searchedUpTo);
        if (found) return { status: 'already', entry: found };
        searchedUpTo = head?.version ?? 0;
      }
      const decision = decide(head);
      if (decision === null) return { status: 'refused', head };
      if (decision === 'unchanged' && head) return { status: 'unchanged', entry: head };
      if (decision === 'unchanged') return { status: 'refused', head };
      const version = (head?.version ?? 0) + 1;
      const entry = {
        ...decision,
        [deps.keyField]: key,
        _id: idOf(key, version),
        version,
        at: now(),
        ref: opts.ref ?? null,
      } as unknown as E;
      try {
        await entries.insertOne(entry as never);
      } catch (err) {
        if (!isDuplicateKeyError(err) && !isTransientStoreError(err)) throw err;
        // Lost the race for this version (or the store was busy): back off a little (more as contention persists) and retry.
        await sleep(Math.random() * Math.min(25, 1 + attempt));
        continue;
      }
      await moveHint(key, entry);
      return { status: 'appended', entry };
    }
    throw new Error(`ledger ${deps.collection}/${key} is too contended (${MAX_RACE_RETRIES} retries)`);
  }

  /** The version before which `ref` cannot have been applied (claimed on first use). */
  async function claimSince(key: string, ref: string): Promise<number> {
    const id = `${key}|${ref}`;
    const existing = await refClaims.findOne({ _id: id });
    if (existing) return existing.since;
    const since = (await latest(key))?.version ?? 0;
    try {
      await refClaims.insertOne({ _id: id, since, at: now() });
      return since;
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      const winner = await refClaims.findOne({ _id: id });
      if (!winner) throw err;
      return winner.since;
    }
  }

  return {
    latest,
    append,
    async appendOnce(key, ref, decide) {
      return append(key, decide, { ref, since: await claimSince(key, ref) });
    },
    async applied(key, ref) {
      const claim = await refClaims.findOne({ _id: `${key}|${ref}` });
      return claim ? findRef(key, ref, claim.since) : null;
    },
    findRef,
    async hints(keys) {
      const docs = keys.length ? await heads.find({ _id: { $in: keys } } as never).toArray() : [];
      const byKey = new Map<string, E>();
      for (const hint of docs) {
        const key = String(hint._id);
        byKey.set(key, {
          ...hint,
          _id: idOf(key, hint.version as number),
          [deps.keyField]: key,
        } as unknown as E);
      }
      return byKey;
    },
    async history(key, limit) {
      const head = await latest(key);
      if (!head) return [];
      const versions = Array.from({ length: Math.min(limit, head.version) }, (_, i) => head.version - i);
      const docs = await Promise.all(versions.map((v) => byId(idOf(key, v))));
      return docs.filter((d): d is NonNullable<typeof d> => d !== null);
    },
    async seed(docs) {
      if (!docs.length) return;
      await entries.insertMany(docs as never[], { ordered: false });
      await heads.insertMany(
        docs.map(({ _id, ...fields }) => ({
          ...fields,
          _id: String(fields[deps.keyField as keyof typeof fields]),
        })) as never[],
        { ordered: false },
      );
    },
    collection: entries,
  };
}

/**
 * Deletes `appendOnce` claims older than `olderThan` from every ledger (`*_refs` collections; no TTL
 * indexes on FerretDB). A claim must outlive every possible retry of its step — a retry after its claim
 * is gone would apply the step again — so keep weeks, not hours. Returns the number removed.
 */
export async function pruneLedgerRefs(connection: Connection, olderThan: Date): Promise<number> {
  const db = connection.db;
  if (!db) return 0;
  let removed = 0;
  for (const { name } of await db.listCollections({}, { nameOnly: true }).toArray()) {
    if (!name.endsWith('_refs')) continue;
    removed += (await db.collection(name).deleteMany({ at: { $lt: olderThan } })).deletedCount;
  }
  return removed;
}
