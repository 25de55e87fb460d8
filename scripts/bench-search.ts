/**
 * `npm run bench:search` — product search at 100k products:
 *   1. the two engines side by side, in the same run, on the same documents and query mix: the embedded
 *      engine in process, and the Elasticsearch adapter on a real Lucene engine (an OpenSearch 2.19 node
 *      started for the run, fixed 1 GiB heap, on the same two cores): indexing throughput, query latency
 *      p50/p95/p99 per query kind, p50/p99 and queries/s at concurrency 1 and 32, memory (heap of the
 *      embedded index; resident memory of the JVM and index size on disk for OpenSearch);
 *   2. over HTTP (the real server process on the real FerretDB, embedded engine): the same mix at
 *      concurrency 1 and 32, the time to build the index from the database at start, and the time from a
 *      product update (and a stock change) to its visibility in results.
 *
 *   BENCH_PRODUCTS=100000 BENCH_SECONDS=10 npm run bench:search
 *   BENCH_HTTP=0 …        skips part 2;   ELASTICSEARCH_URL=… uses that cluster instead of OpenSearch
 */
import autocannon from 'autocannon';
import cliProgress from 'cli-progress';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCoreServices, createInProcessEventBus, createLogger, loadConfig } from '@market/core';
import { connectDatabase, ensureFerretDbBinary, startFerretDb } from '@market/core/db';
import { DEMO_PASSWORD, generateDemoCatalog, seedDemo, type DemoCatalog } from '@market/demo';
import {
  createElasticsearchEngine,
  createEmbeddedSearchEngine,
  type SearchEngine,
  type SearchQuery,
} from '@market/search';
import { ApiClient } from '../tests/support/client';
import { demoSearchDocuments, startOpenSearch } from '../tests/support/opensearch';
import { UNLIMITED_REQUESTS } from '../tests/support/limits';
import { until } from '../tests/support/poll';
import { freePort } from '../tests/support/process';
import { asQuery, queryMix, type Mix } from './bench/search-mix';

/** NODE_ENV=production requires one; random per run and shared by the run's app processes. */
const WEBHOOK_SECRET = randomBytes(32).toString('hex');

const PRODUCTS = Number(process.env.BENCH_PRODUCTS ?? 100_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
/** The embedded engine's result cache (SEARCH_RESULT_CACHE, as the app reads it; 0 = off, for a before/after). */
const RESULT_CACHE = Number(process.env.SEARCH_RESULT_CACHE ?? 2000);
console.log(`embedded result cache: ${RESULT_CACHE ? `${RESULT_CACHE} answers` : 'off'}`);
/** BENCH_OPENSEARCH=0 leaves out the OpenSearch side of the in-process comparison. */
const WITH_OPENSEARCH = process.env.BENCH_OPENSEARCH !== '0';
const ROOT = path.resolve(import.meta.dirname, '..');
const log = createLogger('warn', 'bench');

/** Checks every 5 ms until a change shows (what is measured); a benchmark never waits forever. */
const POLL_MS = 5;

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const fmt = (ms: number) => ms.toFixed(ms < 10 ? 2 : 1);

const toUrl = (m: { q: string; filters?: SearchQuery['filters'] }) => {
  const params = new URLSearchParams({ q: m.q, pageSize: '24' });
  if (m.filters?.inStock) params.set('inStock', 'true');
  if (m.filters?.priceBuckets) params.set('price', m.filters.priceBuckets.join(','));
  if (m.filters?.categoryIds) params.set('category', m.filters.categoryIds.join(','));
  return `/api/search?${params}`;
};

interface Percentiles {
  kind: string;
  p50: number;
  p95: number;
  p99: number;
}
const percentiles = (kind: string, times: number[]): Percentiles => {
  const s = [...times].sort((a, b) => a - b);
  return { kind, p50: pct(s, 50), p95: pct(s, 95), p99: pct(s, 99) };
};

/**
 * Each query of the mix once (the first run: a result cache, where the engine has one, is cold), then
 * again timed one at a time (repeats, as shoppers make them); plus 200 autocompletes.
 */
async function latencyByKind(engine: SearchEngine, mix: Mix): Promise<Percentiles[]> {
  const byKind = new Map<string, number[]>();
  const first: number[] = [];
  for (const round of [0, 1]) {
    for (const m of mix) {
      const t = performance.now();
      await engine.search(asQuery(m));
      if (round === 0) first.push(performance.now() - t);
      if (round === 1)
        (byKind.get(m.kind) ?? byKind.set(m.kind, []).get(m.kind)!).push(performance.now() - t);
    }
  }
  const rows = [...byKind].map(([kind, times]) => percentiles(kind, times));
  rows.push(percentiles('all', [...byKind.values()].flat()));
  rows.push(percentiles('all, first run (cold cache)', first));
  const suggestTimes: number[] = [];
  for (const m of mix.slice(0, 200)) {
    const t = performance.now();
    await engine.suggest(m.q.slice(0, 3), 8);
    suggestTimes.push(performance.now() - t);
  }
  rows.push(percentiles('suggest (3 characters)', suggestTimes));
  return rows;
}

interface LoadRow {
  concurrency: number;
  qps: number;
  p50: number;
  p99: number;
  errors: number;
}

/** `concurrency` callers, each searching the mix back to back for SECONDS. */
async function underLoad(engine: SearchEngine, mix: Mix, concurrency: number): Promise<LoadRow> {
  const times: number[] = [];
  let errors = 0;
  const deadline = performance.now() + SECONDS * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      for (let i = worker * 13; performance.now() < deadline; i++) {
        const t = performance.now();
        try {
          await engine.search(asQuery(mix[i % mix.length]!));
          times.push(performance.now() - t);
        } catch {
          errors++;
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  times.sort((a, b) => a - b);
  return {
    concurrency,
    qps: Math.round(times.length / elapsed),
    p50: pct(times, 50),
    p99: pct(times, 99),
    errors,
  };
}

interface EngineFigures {
  engine: string;
  buildMs: number;
  docsPerSecond: number;
  memory: string;
  byKind: Percentiles[];
  load: LoadRow[];
}

const mb = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MB`;

async function measure(
  label: string,
  engine: SearchEngine,
  build: () => Promise<void>,
  docs: number,
  mix: Mix,
  memory: () => Promise<string>,
): Promise<EngineFigures> {
  const t0 = performance.now();
  await build();
  const buildMs = performance.now() - t0;
  const docsPerSecond = Math.round(docs / (buildMs / 1000));
  const used = await memory();
  console.log(
    `  ${label}: ${docs} documents in ${(buildMs / 1000).toFixed(1)} s (${docsPerSecond} docs/s), ${used}`,
  );
  const byKind = await latencyByKind(engine, mix);
  const load: LoadRow[] = [];
  for (const concurrency of [1, 32]) {
    const row = await underLoad(engine, mix, concurrency);
    console.log(
      `  ${label} c=${concurrency}: ${row.qps} q/s, p50 ${fmt(row.p50)} ms, p99 ${fmt(row.p99)} ms`,
    );
    load.push(row);
  }
  return { engine: label, buildMs, docsPerSecond, memory: used, byKind, load };
}

/** The embedded engine in this process, then the Elasticsearch adapter on OpenSearch: same docs, same mix. */
async function sideBySide(catalog: DemoCatalog): Promise<EngineFigures[]> {
  const docs = demoSearchDocuments(catalog);
  const mix = queryMix(catalog);
  const figures: EngineFigures[] = [];

  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const embedded = createEmbeddedSearchEngine({ log, resultCacheSize: RESULT_CACHE });
  figures.push(
    await measure(
      'embedded',
      embedded,
      async () => {
        for (let i = 0; i < docs.length; i += 1000) await embedded.upsert(docs.slice(i, i + 1000));
        await embedded.refresh();
      },
      docs.length,
      mix,
      async () => {
        global.gc?.();
        return `heap +${mb(process.memoryUsage().heapUsed - heapBefore)} (the index, in the app's process)`;
      },
    ),
  );
  await embedded.close();
  if (!WITH_OPENSEARCH) return figures;

  const opensearch = process.env.ELASTICSEARCH_URL ? null : await startOpenSearch({ heap: '1g' });
  const lucene = createElasticsearchEngine({
    url: opensearch?.url ?? process.env.ELASTICSEARCH_URL!,
    indexPrefix: `bench_${Date.now()}`,
    log,
  });
  try {
    await lucene.ready();
    figures.push(
      await measure(
        opensearch ? 'OpenSearch 2.19 (adapter)' : 'Elasticsearch (adapter)',
        lucene,
        // A full rebuild: the adapter's reindex (bulk, 2 requests of 500 in flight, no refreshes).
        async () => void (await lucene.reindex(docs)),
        docs.length,
        mix,
        async () => {
          const stats = await lucene.stats();
          const rss = opensearch?.node.rssBytes();
          return [
            rss ? `JVM resident ${mb(rss)} (heap fixed at 1 GiB)` : null,
            stats.sizeBytes ? `index on disk ${mb(stats.sizeBytes)}` : null,
          ]
            .filter(Boolean)
            .join(', ');
        },
      ),
    );
  } finally {
    await lucene.drop().catch(() => undefined);
    await lucene.close();
    await opensearch?.close();
  }
  return figures;
}

async function overHttp(catalog: DemoCatalog) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bench-search-'));
  const ferret = await startFerretDb({
    binary: await ensureFerretDbBinary(path.join(ROOT, '.tools'), log),
    dataDir,
    log,
  });
  const dbName = 'bench_search';
  try {
    const config = loadConfig({ MONGODB_URI: ferret.uri, MONGODB_DB: dbName });
    const db = await connectDatabase(ferret.uri, dbName);
    const core = createCoreServices({
      config,
      connection: db.connection,
      bus: createInProcessEventBus(log),
      log,
    });
    await Promise.all(db.connection.modelNames().map((m) => db.connection.model(m).init()));
    const bar = new cliProgress.SingleBar(
      { format: '  seeding [{bar}] {value}/{total}' },
      cliProgress.Presets.shades_classic,
    );
    bar.start(PRODUCTS, 0);
    // The seeded catalog carries the demo sign-in emails (seller01@bazaar.test …).
    const seeded = (await seedDemo(core, { products: PRODUCTS, onProgress: (d) => bar.update(d) })).catalog;
    bar.stop();
    await db.close();

    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const started = performance.now();
    const child = spawn(process.execPath, ['--import', 'tsx', 'web/src/main.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        PORT: String(port),
        HOST: '127.0.0.1',
        MONGODB_URI: ferret.uri,
        MONGODB_DB: dbName,
        DATA_DIR: dataDir,
        SEED_DEMO: 'false',
        LOG_LEVEL: 'warn',
        SESSION_SECRET: 's'.repeat(40),
        PAYMENT_WEBHOOK_SECRET: WEBHOOK_SECRET,
        // One address plays every shopper here; the per-address request budgets would stop it.
        ...UNLIMITED_REQUESTS,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const exited = new Promise((r) => child.once('exit', r));
    try {
      const client = new ApiClient(url);
      await until(
        async () => {
          const res = await client.get('/api/search?q=&pageSize=1').catch(() => null);
          return res?.status === 200 && res.body.total >= PRODUCTS;
        },
        600_000,
        'the server to index every product',
        POLL_MS,
      );
      const indexFromDbS = (performance.now() - started) / 1000;
      console.log(
        `  server start → all ${PRODUCTS} products searchable: ${indexFromDbS.toFixed(1)} s (built from the database)`,
      );

      const paths = queryMix(catalog).map(toUrl);
      const http: { connections: number; rps: number; p50: number; p99: number; errors: number }[] = [];
      for (const connections of [1, 32]) {
        let i = 0;
        const r = await autocannon({
          url,
          connections,
          duration: SECONDS,
          requests: [{ setupRequest: (req) => ({ ...req, path: paths[i++ % paths.length]! }) }],
        });
        http.push({
          connections,
          rps: Math.round(r.requests.average),
          p50: r.latency.p50,
          p99: r.latency.p99,
          errors: r.errors + r.non2xx,
        });
        console.log(
          `  HTTP c=${connections}: ${Math.round(r.requests.average)} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms`,
        );
      }

      // Freshness: a rename, then a stock change, observed through the public search API.
      const seller = seeded.sellers[0]!;
      await client.login(seller.email, DEMO_PASSWORD);
      const own = seeded.products.filter((p) => p.sellerId === seller.id).slice(0, 20);
      const rename: number[] = [];
      const stock: number[] = [];
      for (const [k, p] of own.entries()) {
        const token = `fresh${k}x${Date.now().toString(36)}`;
        let t = performance.now();
        const renamed = await client.patch(`/api/products/${p.id}`, { name: `${p.name} ${token}` });
        if (renamed.status !== 200)
          throw new Error(`rename failed: ${renamed.status} ${JSON.stringify(renamed.body)}`);
        await until(
          async () => (await client.get(`/api/search?q=${token}&pageSize=1`)).body.total > 0,
          30_000,
          'a rename to show',
          POLL_MS,
        );
        rename.push(performance.now() - t);
        t = performance.now();
        for (const v of p.variants)
          await client.put(`/api/products/${p.id}/variants/${v.sku}/stock`, { available: 0 });
        await until(
          async () => (await client.get(`/api/search?q=${token}&inStock=true&pageSize=1`)).body.total === 0,
          30_000,
          'a stock change to show',
          POLL_MS,
        );
        stock.push(performance.now() - t);
      }
      rename.sort((a, b) => a - b);
      stock.sort((a, b) => a - b);
      return {
        indexFromDbS,
        http,
        freshness: { rename: [pct(rename, 50), pct(rename, 99)], stock: [pct(stock, 50), pct(stock, 99)] },
      };
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  } finally {
    await ferret.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const loadAverage = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');
console.log(
  `bench:search — ${PRODUCTS} products, ${os.cpus().length} cores, Node ${process.version}, ` +
    `load average (1/5/15 min) ${loadAverage()} at start`,
);
const catalog = generateDemoCatalog({ products: PRODUCTS });
const engines = await sideBySide(catalog);

const names = engines.map((e) => e.engine);
console.log(`\n| ${PRODUCTS} products | ${names.join(' | ')} |\n| --- |${' ---: |'.repeat(names.length)}`);
console.log(`| index build | ${engines.map((e) => `${(e.buildMs / 1000).toFixed(1)} s`).join(' | ')} |`);
console.log(`| indexing throughput | ${engines.map((e) => `${e.docsPerSecond} docs/s`).join(' | ')} |`);
console.log(`| memory | ${engines.map((e) => e.memory).join(' | ')} |`);
for (const c of [1, 32]) {
  const rows = engines.map((e) => e.load.find((l) => l.concurrency === c)!);
  console.log(`| c=${c}: queries/s | ${rows.map((r) => r.qps).join(' | ')} |`);
  console.log(`| c=${c}: p50 / p99 ms | ${rows.map((r) => `${fmt(r.p50)} / ${fmt(r.p99)}`).join(' | ')} |`);
  console.log(`| c=${c}: errors | ${rows.map((r) => r.errors).join(' | ')} |`);
}
console.log(
  `\n| query kind (one at a time) | ${names.map((n) => `${n} p50 / p95 / p99 ms`).join(' | ')} |\n| --- |${' ---: |'.repeat(names.length)}`,
);
for (const [i, row] of engines[0]!.byKind.entries())
  console.log(
    `| ${row.kind} | ${engines
      .map((e) => e.byKind[i]!)
      .map((r) => `${fmt(r.p50)} / ${fmt(r.p95)} / ${fmt(r.p99)}`)
      .join(' | ')} |`,
  );
console.log(`\nload average (1/5/15 min) after the in-process part: ${loadAverage()}`);
// The in-process tables are out before the HTTP part starts: on a busy machine it can fail on its own.
const remote = process.env.BENCH_HTTP === '0' ? null : await overHttp(catalog);
if (remote) {
  console.log(`\n| server (embedded) | value |\n| --- | ---: |`);
  console.log(`| server start → index built from FerretDB | ${remote.indexFromDbS.toFixed(1)} s |`);
  console.log(
    `\n| HTTP /api/search (mix) | req/s | p50 ms | p99 ms | errors |\n| --- | ---: | ---: | ---: | ---: |`,
  );
  for (const r of remote.http)
    console.log(`| c=${r.connections} | ${r.rps} | ${r.p50} | ${r.p99} | ${r.errors} |`);
  console.log(
    `\n| update → visible in search (HTTP, 20 products) | p50 ms | p99 ms |\n| --- | ---: | ---: |`,
  );
  console.log(`| rename | ${fmt(remote.freshness.rename[0]!)} | ${fmt(remote.freshness.rename[1]!)} |`);
  console.log(
    `| stock to zero → gone from in-stock results | ${fmt(remote.freshness.stock[0]!)} | ${fmt(remote.freshness.stock[1]!)} |`,
  );
}
