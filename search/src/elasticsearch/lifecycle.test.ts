import { Client } from '@elastic/elasticsearch';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  createCoreServices,
  createInProcessEventBus,
  createLogger,
  loadConfig,
  type CoreServices,
} from '@market/core';
import { generateDemoCatalog, seedDemo } from '@market/demo';
import { openTestDatabase } from '../../../tests/support/database';
import {
  demoSearchDocuments,
  startOpenSearch,
  type OpenSearchForTests,
} from '../../../tests/support/opensearch';
import { createSearchIndexer } from '../indexer';
import type { SearchDocument, SearchEngine, SearchQuery } from '../types';
import { BulkWriteError, createElasticsearchEngine, type ElasticsearchEngine } from './index';
import type { BulkOptions } from './bulk';

/**
 * The index lifecycle against a real engine (OpenSearch in CI: `npm run test:opensearch`): versioned
 * index and alias, bulk load of the demo catalog with backpressure and per-item errors, reindex while
 * searches run, rollback, and a node killed in the middle of a bulk load. Skipped without
 * ELASTICSEARCH_URL, like the contract suite. The restart tests start a node of their own (they kill it).
 */
const url = process.env.ELASTICSEARCH_URL;
const run = `life_${randomBytes(4).toString('hex')}`;
let engines = 0;
const PRODUCTS = 3000;

function newEngine(
  options: { prefix?: string; bulk?: BulkOptions; node?: string } = {},
): ElasticsearchEngine {
  return createElasticsearchEngine({
    url: options.node ?? url!,
    indexPrefix: options.prefix ?? `${run}_${++engines}`,
    bulk: options.bulk,
  });
}

const browse: SearchQuery = { q: '', filters: {}, sort: 'relevance', page: 1, pageSize: 1 };
const bump = (docs: SearchDocument[], by: number) => docs.map((d) => ({ ...d, version: d.version + by }));
const versionsOf = (docs: SearchDocument[]) => new Map(docs.map((d) => [d.id, d.version]));

describe.runIf(url)('elasticsearch: index lifecycle on the demo catalog', () => {
  let admin: Client;
  let documents: SearchDocument[];

  beforeAll(() => {
    admin = new Client({ node: url! });
    documents = demoSearchDocuments(generateDemoCatalog({ products: PRODUCTS }));
  });
  afterAll(async () => {
    const indices = Object.keys(await admin.indices.get({ index: `${run}_*`, allow_no_indices: true }));
    if (indices.length) await admin.indices.delete({ index: indices, ignore_unavailable: true });
    await admin.close();
  });

  it('creates one versioned index behind the alias, with our analyzers, when two app nodes start together', async () => {
    const prefix = `${run}_${++engines}`;
    const [a, b] = [newEngine({ prefix }), newEngine({ prefix })];
    try {
      await Promise.all([a.ready(), b.ready()]);
      const versions = Object.keys(await admin.indices.get({ index: `${prefix}_v*` }));
      expect(versions).toHaveLength(1);
      expect(versions[0]).toMatch(new RegExp(`^${prefix}_v\\d{13}$`));
      expect(Object.keys(await admin.indices.getAlias({ name: prefix }))).toEqual(versions);
      expect(await a.currentIndices()).toEqual(versions);

      const mapping = (await admin.indices.getMapping({ index: prefix }))[versions[0]!]!.mappings;
      expect(mapping.properties?.name).toMatchObject({
        fields: { autocomplete: { type: 'search_as_you_type' } },
      });
      const tokens = async (analyzer: string, text: string) =>
        (await admin.indices.analyze({ index: prefix, analyzer, text })).tokens?.map((t) => t.token);
      expect(await tokens('zh_index', '蓝牙耳机')).toEqual(['蓝牙', '牙耳', '耳机']);
      expect(await tokens('en_index', "Women's Headphones")).toEqual(['women', 'headphone']);
      // No search-time synonyms: the query builder adds the lexicon's phrases as clauses of their own.
      expect(await tokens('en_search', 'phones')).toEqual(['phone']);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('bulk-loads the catalog reading its source only as fast as the engine acknowledges (backpressure)', async () => {
    const chunkSize = 250;
    const concurrency = 2;
    const engine = newEngine({ bulk: { chunkSize, concurrency } });
    try {
      let pulled = 0;
      let maxAhead = 0;
      const progress: number[] = [];
      async function* source() {
        for (const doc of documents) {
          pulled++;
          yield doc;
        }
      }
      const result = await engine.reindex(source(), {
        onProgress: (done) => {
          progress.push(done);
          maxAhead = Math.max(maxAhead, pulled - done);
        },
      });
      expect(result).toMatchObject({ applied: PRODUCTS, skipped: 0 });
      // At most `concurrency` requests in flight plus the chunk being filled: never the whole catalog.
      expect(maxAhead).toBeLessThanOrEqual((concurrency + 1) * chunkSize);
      expect(progress.at(-1)).toBe(PRODUCTS);
      expect(progress.every((n, i) => i === 0 || n > progress[i - 1]!)).toBe(true);
      expect((await engine.stats()).documents).toBe(PRODUCTS);
      expect(await engine.versions()).toEqual(versionsOf(documents));
    } finally {
      await engine.close();
    }
  });

  it('writes the good documents of a batch and reports each rejected one', async () => {
    const engine = newEngine();
    try {
      const batch = documents.slice(0, 60).map((d) => ({ ...d }));
      const badPrice = { ...batch[10]!, priceMin: 'cheap' as unknown as number };
      const badDate = { ...batch[40]!, createdAt: 'yesterday' };
      batch[10] = badPrice;
      batch[40] = badDate;
      const error = await engine.upsert(batch).then(
        () => null,
        (err: unknown) => err,
      );
      expect(error).toBeInstanceOf(BulkWriteError);
      const failures = (error as BulkWriteError).failures;
      expect(failures.map((f) => [f.id, f.status]).sort()).toEqual(
        [
          [badPrice.id, 400],
          [badDate.id, 400],
        ].sort(),
      );
      expect(failures.every((f) => /parsing/.test(f.type))).toBe(true);
      await engine.refresh();
      const stored = await engine.versions();
      expect(stored.size).toBe(58);
      expect(stored.has(badPrice.id) || stored.has(badDate.id)).toBe(false);
    } finally {
      await engine.close();
    }
  });

  it('reindexes into a new version while searches keep answering, rolls back, and keeps the alias when a load fails', async () => {
    const engine = newEngine();
    try {
      await engine.upsert(documents);
      await engine.refresh();
      const [first] = await engine.currentIndices();
      const probes: SearchQuery[] = [
        browse,
        { ...browse, q: documents[7]!.brand.toLowerCase(), pageSize: 10 },
        { ...browse, q: documents[99]!.nameZh.slice(0, 4), pageSize: 10 },
        { ...browse, q: 'headphnoes', pageSize: 10, filters: { inStock: true } },
      ];
      const expectedHits = await Promise.all(probes.map(async (q) => (await engine.search(q)).total));
      expect(expectedHits.every((n) => n > 0)).toBe(true);

      // Four clients search (and autocomplete) without pause for as long as the rebuild takes.
      let loading = true;
      const answers: number[][] = probes.map(() => []);
      const failures: unknown[] = [];
      const searchers = [0, 1, 2, 3].map(async (k) => {
        for (let i = k; loading; i++) {
          const probe = i % probes.length;
          try {
            answers[probe]!.push((await engine.search(probes[probe]!)).total);
            if ((await engine.suggest('sams', 5)).length === 0) failures.push('empty suggestions');
          } catch (err) {
            failures.push(err);
          }
        }
      });
      const v2 = bump(documents, 1);
      const result = await engine.reindex(v2, { keepPrevious: true });
      loading = false;
      await Promise.all(searchers);

      expect(failures).toEqual([]);
      expect(answers.flat().length).toBeGreaterThan(probes.length);
      // Every answer came from a complete index, old or new: the same totals throughout.
      answers.forEach((totals, i) => expect(new Set(totals)).toEqual(new Set([expectedHits[i]])));
      expect(result).toMatchObject({ previous: [first], applied: PRODUCTS, skipped: 0 });
      expect(await engine.currentIndices()).toEqual([result.index]);
      expect(await engine.versions()).toEqual(versionsOf(v2));

      // Rollback: the alias goes back to the kept version in one step; the newer one is deleted.
      const back = await engine.rollback();
      expect(back).toEqual({ index: first, previous: [result.index] });
      expect(await engine.currentIndices()).toEqual([first]);
      expect(await admin.indices.exists({ index: result.index })).toBe(false);
      expect(await engine.versions()).toEqual(versionsOf(documents));
      expect((await engine.search(probes[1]!)).total).toBe(expectedHits[1]);
      await expect(engine.rollback()).rejects.toThrow(/no previous index version/);

      // A load that fails half-way (one document the mapping rejects) leaves the alias where it was.
      const broken = bump(documents, 2);
      broken[PRODUCTS / 2] = { ...broken[PRODUCTS / 2]!, priceMin: 'n/a' as unknown as number };
      await expect(engine.reindex(broken)).rejects.toBeInstanceOf(BulkWriteError);
      expect(await engine.currentIndices()).toEqual([first]);
      expect(Object.keys(await admin.indices.get({ index: `${engine.alias}_v*` }))).toEqual([first]);
      expect((await engine.search(browse)).total).toBe(PRODUCTS);
    } finally {
      await engine.close();
    }
  });
});

describe.runIf(url)('elasticsearch: a node restart in the middle of a bulk load', () => {
  let opensearch: OpenSearchForTests;
  let db: Awaited<ReturnType<typeof openTestDatabase>>;
  let core: CoreServices;
  let documents: SearchDocument[];

  beforeAll(async () => {
    // A node of our own, with its data kept across restarts (the suite's node is never killed).
    [opensearch, db] = await Promise.all([
      startOpenSearch({ persistent: true, heap: '512m' }),
      openTestDatabase('search_restart'),
    ]);
    const log = createLogger('warn', 'restart-test');
    core = createCoreServices({
      config: loadConfig({ MONGODB_URI: inject('mongoUri'), MONGODB_DB: db.dbName }),
      connection: db.connection,
      bus: createInProcessEventBus(log),
      log,
    });
    await Promise.all(db.connection.modelNames().map((m) => db.connection.model(m).init()));
    const { catalog } = await seedDemo(core, { products: 1500 });
    documents = demoSearchDocuments(catalog);
  });
  afterAll(async () => {
    await opensearch?.close();
    await db?.close();
  });

  it('bulk writes ride through a crash and restart of the node: nothing acknowledged or pending is lost', async () => {
    const engine = newEngine({
      node: opensearch.url,
      // The client retries a lost connection 3 times (1–4 s apart), then the bulk writer up to 12 times
      // (200 ms doubling, capped at 3 s): more than a JVM restart takes.
      bulk: { maxRetries: 12, maxDelayMs: 3000 },
    });
    try {
      await engine.ready();
      const before = opensearch.node.pid;
      let restarted: Promise<void> | null = null;
      for (let i = 0; i < documents.length; i += 100) {
        if (i === 500) {
          await opensearch.crash(); // kill -9: the next request finds nobody there
          restarted = opensearch.start(); // on the same data and port, while the load goes on
        }
        await engine.upsert(documents.slice(i, i + 100));
      }
      await restarted;
      expect(opensearch.node.pid).not.toBe(before);
      await engine.refresh();
      expect(await engine.versions()).toEqual(versionsOf(documents));
    } finally {
      await engine.drop();
      await engine.close();
    }
  }, 180_000);

  it('the indexer resumes after the node comes back: what was acknowledged survived, the rest is caught up', async () => {
    // No patience this time: the first write after the crash fails and the load stops with it.
    const engine = newEngine({ node: opensearch.url, bulk: { maxRetries: 0 } });
    let batches = 0;
    const crashing: SearchEngine = Object.assign(Object.create(engine) as ElasticsearchEngine, {
      async upsert(docs: SearchDocument[]) {
        if (++batches === 2) await opensearch.crash(); // after the first 500 are acknowledged
        return engine.upsert(docs);
      },
    });
    const indexer = createSearchIndexer({ engine: crashing, core, log: createLogger('silent') });
    try {
      await engine.ready();
      await expect(indexer.reindexAll()).rejects.toThrow();
      expect(batches).toBe(2);
      await opensearch.start();

      await engine.refresh();
      const survived = await engine.versions();
      expect(survived.size).toBe(500);
      const listed = new Map(core.listings.sourceVersions());
      expect([...survived].every(([id, version]) => listed.get(id) === version)).toBe(true);

      const { indexed, removed } = await indexer.catchUp();
      expect({ indexed, removed }).toEqual({ indexed: listed.size - 500, removed: 0 });
      expect(await engine.versions()).toEqual(listed);
      expect((await engine.stats()).documents).toBe(listed.size);
    } finally {
      await engine.drop();
      await engine.close();
    }
  }, 180_000);
});
