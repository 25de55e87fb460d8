import { gunzipSync, gzipSync } from 'node:zlib';
import type { Logger } from '@market/core';
import type { Connection } from 'mongoose';
import {
  CONTROL_COLLECTION,
  EVENTS_PREFIX,
  KEYS_PREFIX,
  NODES_COLLECTION,
  bucketDay,
  dayOf,
} from './buckets';
import type { EventPage, NodeDoc, RebuildControl, StoredEvent } from './types';

/**
 * A page as stored: its events as gzip-compressed JSON in one binary field, and the actors it mentions
 * (for erasure). FerretDB 1.24 decodes a document field by field, so a thousand small sub-documents cost
 * ~55 ms to read back; one compressed blob costs ~1 ms and a tenth of the space (measured: 60 pages of
 * 1,000 events, 3.4 s against 55 ms).
 */
interface StoredPage {
  _id: string;
  node: string;
  seq: number;
  at: Date;
  count: number;
  actors: string[];
  data: Buffer | { buffer: Uint8Array };
}

function actorsOf(events: StoredEvent[]): string[] {
  const actors = new Set<string>();
  for (const e of events) {
    actors.add(e.a);
    if (e.to) actors.add(e.to);
  }
  return [...actors];
}

function encode(page: EventPage): StoredPage {
  return {
    _id: page._id,
    node: page.node,
    seq: page.seq,
    at: page.at,
    count: page.events.length,
    actors: actorsOf(page.events),
    data: gzipSync(JSON.stringify(page.events)),
  };
}

function decode(doc: StoredPage): EventPage {
  const bytes = doc.data instanceof Uint8Array ? doc.data : doc.data.buffer;
  return {
    _id: doc._id,
    node: doc.node,
    seq: doc.seq,
    at: doc.at,
    events: JSON.parse(gunzipSync(bytes).toString('utf8')) as StoredEvent[],
  };
}

/** What a dedupe insert says about each key: new, seen before, or not written (try again later). */
export type KeyVerdict = 'accepted' | 'duplicate' | 'retry';

interface WriteErrorLike {
  index: number;
  code?: number;
}

function isDuplicate(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === 11000;
}

/** The per-key errors of an unordered insertMany, when that is what failed. */
function writeErrorsOf(err: unknown): WriteErrorLike[] | null {
  const errors = (err as { writeErrors?: WriteErrorLike | WriteErrorLike[] } | null)?.writeErrors;
  if (!errors) return null;
  return Array.isArray(errors) ? errors : [errors];
}

/**
 * The interaction event store (layout in recommender/README.md, "Storage"): day buckets of pages, day
 * buckets of dedupe keys, one document per serving process, and the rebuild control document. Every hot
 * path is an insert or an `_id` lookup; scans happen only in a full load, in retention's collection
 * listing, and in erasing one actor.
 */
export function createEventStore(deps: { connection: Connection; log: Logger }) {
  const db = () => {
    const handle = deps.connection.db;
    if (!handle) throw new Error('the database connection is not open');
    return handle;
  };
  const pages = (day: string) => db().collection<StoredPage>(`${EVENTS_PREFIX}${day}`);
  const keys = (day: string) => db().collection<{ _id: string }>(`${KEYS_PREFIX}${day}`);
  const nodes = () => db().collection<NodeDoc>(NODES_COLLECTION);
  const control = () => db().collection<RebuildControl>(CONTROL_COLLECTION);

  async function bucketDays(prefix: string): Promise<string[]> {
    const names = await db().listCollections({}, { nameOnly: true }).toArray();
    return names
      .map((c) => bucketDay(c.name, prefix))
      .filter((d): d is string => d !== null)
      .sort();
  }

  return {
    /**
     * Claims dedupe keys by unique `_id` inserts (atomic on both engines), unordered so one duplicate
     * does not stop the rest.
     */
    async claimKeys(day: string, ids: string[]): Promise<KeyVerdict[]> {
      if (!ids.length) return [];
      try {
        await keys(day).insertMany(
          ids.map((_id) => ({ _id })),
          { ordered: false },
        );
        return ids.map(() => 'accepted');
      } catch (err) {
        const failures = writeErrorsOf(err);
        if (!failures) throw err;
        const verdicts: KeyVerdict[] = ids.map(() => 'accepted');
        for (const failure of failures)
          verdicts[failure.index] = isDuplicate(failure) ? 'duplicate' : 'retry';
        return verdicts;
      }
    },

    /** Writes a page into the bucket of its day. Writing the same page twice is not an error. */
    async writePage(page: EventPage): Promise<void> {
      try {
        await pages(dayOf(page.at.getTime())).insertOne(encode(page));
      } catch (err) {
        if (!isDuplicate(err)) throw err;
      }
    },

    /** Page `seq` of `node`, looked up by `_id` in each candidate day bucket in turn. */
    async readPage(node: string, seq: number, days: string[]): Promise<EventPage | null> {
      for (const day of days) {
        const page = await pages(day).findOne({ _id: `${node}:${seq}` });
        if (page) return decode(page);
      }
      return null;
    },

    /** Days that have a page bucket, oldest first. */
    eventDays: () => bucketDays(EVENTS_PREFIX),

    /** Every page of a day, in the order the store returns them (insertion order on both engines). */
    async *scanDay(day: string): AsyncIterable<EventPage> {
      for await (const doc of pages(day).find({}).batchSize(100)) yield decode(doc);
    },

    /** Drops page buckets of days before `keepFrom`, and key buckets before `keepKeysFrom`. */
    async dropBefore(keepFrom: string, keepKeysFrom: string): Promise<{ events: string[]; keys: string[] }> {
      const dropped = { events: [] as string[], keys: [] as string[] };
      for (const day of await bucketDays(EVENTS_PREFIX)) {
        if (day >= keepFrom) continue;
        await pages(day).drop();
        dropped.events.push(day);
      }
      for (const day of await bucketDays(KEYS_PREFIX)) {
        if (day >= keepKeysFrom) continue;
        await keys(day).drop();
        dropped.keys.push(day);
      }
      return dropped;
    },

    /**
     * Removes the stored events of `actors` up to `until` (inclusive) from every bucket, including the
     * `link` records that named them. A scan of every bucket: erasure is rare, and events are stored by
     * time, not by actor. Returns the number of events removed.
     */
    async eraseActors(actors: Set<string>, until: number, onDay?: (day: string) => void): Promise<number> {
      let removed = 0;
      for (const day of await bucketDays(EVENTS_PREFIX)) {
        for await (const doc of pages(day).find({ actors: { $in: [...actors] } })) {
          const page = decode(doc);
          const kept = page.events.filter((e) => !(actors.has(e.a) && e.at <= until));
          if (kept.length === page.events.length) continue;
          removed += page.events.length - kept.length;
          const { count, actors: mentioned, data } = encode({ ...page, events: kept });
          await pages(day).updateOne({ _id: page._id }, { $set: { count, actors: mentioned, data } });
        }
        onDay?.(day);
      }
      return removed;
    },

    /**
     * Removes the dedupe keys that name `actors` (`c:` client ids and `w:` window slots), so events they
     * send after a reset are not taken for repeats of erased ones. A scan of the (two-day) key buckets.
     */
    async eraseKeysOf(actors: Set<string>): Promise<number> {
      let removed = 0;
      const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      const pattern = new RegExp(`^[cw]:(${[...actors].map(escape).join('|')}):`);
      for (const day of await bucketDays(KEYS_PREFIX)) {
        removed += (await keys(day).deleteMany({ _id: { $regex: pattern } })).deletedCount;
      }
      return removed;
    },

    /** Anonymous actors ever linked to one of `accounts` (their history became the account's). */
    async linkedActors(accounts: Set<string>): Promise<Set<string>> {
      const linked = new Set<string>();
      for (const day of await bucketDays(EVENTS_PREFIX)) {
        for await (const doc of pages(day).find({ actors: { $in: [...accounts] } })) {
          for (const e of decode(doc).events)
            if (e.t === 'link' && e.to && accounts.has(e.to)) linked.add(e.a);
        }
      }
      return linked;
    },

    /** Stored events of one actor, every bucket (tests and the admin view; a scan). */
    async countEventsOf(actor: string): Promise<number> {
      let count = 0;
      for (const day of await bucketDays(EVENTS_PREFIX)) {
        for await (const doc of pages(day).find({ actors: actor })) {
          count += decode(doc).events.filter((e) => e.a === actor).length;
        }
      }
      return count;
    },

    listNodes: () => nodes().find({}).toArray(),

    async saveNode(doc: NodeDoc): Promise<void> {
      await nodes().replaceOne({ _id: doc._id }, doc, { upsert: true });
    },

    /** Plain update by `_id`: each node document has one writer, the process it describes. */
    async updateNode(id: string, patch: Partial<Omit<NodeDoc, '_id'>>): Promise<void> {
      await nodes().updateOne({ _id: id }, { $set: patch });
    },

    async removeNodes(ids: string[]): Promise<void> {
      for (const _id of ids) await nodes().deleteOne({ _id });
    },

    async rebuildControl(): Promise<RebuildControl | null> {
      return control().findOne({ _id: 'rebuild' });
    },

    /**
     * Asks every process to reload. Read, then replace by `_id`: rebuild jobs are deduplicated per
     * minute, and two racing ones would still both leave a higher generation than any node has.
     */
    async bumpGeneration(jobId: string | null, at: Date): Promise<RebuildControl> {
      const current = await control().findOne({ _id: 'rebuild' });
      const next: RebuildControl = {
        _id: 'rebuild',
        generation: (current?.generation ?? 0) + 1,
        requestedAt: at,
        jobId,
      };
      await control().replaceOne({ _id: 'rebuild' }, next, { upsert: true });
      return next;
    },
  };
}

export type EventStore = ReturnType<typeof createEventStore>;
