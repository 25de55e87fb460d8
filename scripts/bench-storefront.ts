/**
 * `npm run bench:storefront` — the server-rendered storefront (issue 17, Measure):
 *   1. Lighthouse (mobile preset, Debian's Chromium) on the home, a category, a product and a search
 *      results page: performance, accessibility, best practices and SEO scores, LCP, CLS and TBT, the
 *      median of `--runs` runs per page (each figure's median on its own);
 *   2. the JavaScript each of those pages loads at start (files, raw and gzip bytes) and its HTML as sent;
 *   3. SSR throughput of product pages with autocannon at concurrency 32 (req/s, p50, p99):
 *      - cold: every request a different product (rotating through thousands of product URLs from the
 *        sitemap, so no product's documents or rendering are warm from the request before);
 *      - warm: one product over and over (200 each time; the store's and the process's caches are hot);
 *      - 304: a revalidation of that product with `If-None-Match` of its ETag, what a browser or CDN
 *        holding the page sends. There is no server-side page cache (so a stock change shows on the next
 *        request on every node): the server still renders the page to hash it, and saves only the
 *        compression and the bytes. That is the honest "cached" figure for this design;
 *   on the 5k demo catalog and on 100k generated products, each in a fresh embedded store (FerretDB on
 *   SQLite), seeded in bulk by this process; the server is its own process, as `npm start` runs it.
 *
 *   npm run bench:storefront                        both sizes, Lighthouse on the 5k demo
 *   npm run bench:storefront -- --products 100000   one size
 *   npm run bench:storefront -- --runs 1 --lighthouse-all --seconds 20
 *   --no-lighthouse                                  throughput and JavaScript only
 *
 * Requests send Accept-Encoding: br, gzip and Accept-Language: en, as a browser does. Needs the UI built
 * (`npm run build:ui`; it is built here when missing).
 */
import autocannon from 'autocannon';
import cliProgress from 'cli-progress';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createCoreServices, createInProcessEventBus, createLogger, loadConfig } from '@market/core';
import { connectDatabase, ensureFerretDbBinary, startFerretDb } from '@market/core/db';
import { DEMO_SHOPPER_ID, seedDemo } from '@market/demo';
import { seedDemoInteractions } from '@market/recommender/service';
import { UNLIMITED_REQUESTS } from '../tests/support/limits';
import { until } from '../tests/support/poll';
import { freePort } from '../tests/support/process';
import { measureInitialJs, type InitialJs } from './bench/storefront-initial-js';
import { medianScores, startLighthouse, type PageScores } from './bench/storefront-lighthouse';

const { values: args } = parseArgs({
  options: {
    products: { type: 'string' },
    runs: { type: 'string', default: '3' },
    seconds: { type: 'string', default: process.env.BENCH_SECONDS ?? '10' },
    'lighthouse-all': { type: 'boolean', default: false },
    'no-lighthouse': { type: 'boolean', default: false },
  },
});
const SIZES = args.products ? args.products.split(',').map(Number) : [5000, 100_000];
const RUNS = Number(args.runs);
const SECONDS = Number(args.seconds);
const CONNECTIONS = 32;
/** Distinct product pages the cold run rotates through (more than it can request in SECONDS). */
const COLD_PRODUCTS = 20_000;
const BROWSER_HEADERS = { 'accept-encoding': 'br, gzip', 'accept-language': 'en' };
/** NODE_ENV=production requires one; random per run. */
const WEBHOOK_SECRET = randomBytes(32).toString('hex');
const ROOT = path.resolve(import.meta.dirname, '..');
const log = createLogger('warn', 'bench');

interface ThroughputRow {
  dataset: string;
  kind: string;
  rps: number;
  p50: number;
  p99: number;
  /** Answers other than the expected status, plus socket errors and timeouts. */
  unexpected: number;
}

const loadAverage = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');

function ensureUiBuilt() {
  if (existsSync(path.join(ROOT, 'web/ui/build/handler.js'))) return;
  console.log('  the storefront is not built: npm run build:ui');
  const built = spawnSync('npm', ['run', 'build:ui'], { cwd: ROOT, stdio: 'inherit' });
  if (built.status !== 0) throw new Error('npm run build:ui failed');
}

async function seed(uri: string, dbName: string, products: number) {
  const config = loadConfig({ MONGODB_URI: uri, MONGODB_DB: dbName, LOG_LEVEL: 'warn' });
  const db = await connectDatabase(uri, dbName);
  try {
    const core = createCoreServices({
      config,
      connection: db.connection,
      bus: createInProcessEventBus(log),
      log,
    });
    await Promise.all(db.connection.modelNames().map((m) => db.connection.model(m).init()));
    const bar = new cliProgress.SingleBar(
      { format: `  seeding [{bar}] {value}/{total} products  {eta}s left` },
      cliProgress.Presets.shades_classic,
    );
    bar.start(products, 0);
    const started = performance.now();
    const { catalog } = await seedDemo(core, { products, onProgress: (done) => bar.update(done) });
    bar.stop();
    // The shopping history the app's own demo start records, so the home page's hot lists have items.
    await seedDemoInteractions({
      connection: db.connection,
      log,
      products: catalog.products,
      shopperId: DEMO_SHOPPER_ID,
    });
    console.log(`  seeded ${products} products in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await db.close();
  }
}

async function startServer(env: Record<string, string>, products: number) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['--import', 'tsx', 'web/src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      SESSION_SECRET: 's'.repeat(40),
      PAYMENT_WEBHOOK_SECRET: WEBHOOK_SECRET,
      SEED_DEMO: 'false',
      // One address plays every shopper here; the per-address budgets would stop it.
      ...UNLIMITED_REQUESTS,
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = async () => {
    child.kill('SIGTERM');
    await exited;
  };
  try {
    // Up, and the search index built from the store (the search page shows every product).
    await until(
      async () => {
        const res = await fetch(`${url}/api/search?q=&pageSize=1`).catch(() => null);
        return res?.ok === true && ((await res.json()) as { total: number }).total >= products;
      },
      900_000,
      'the server to start and index every product',
      200,
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, stop };
}

/** Product page URLs as the sitemap lists them (the canonical ones), up to `limit`, spread over the catalog. */
async function productUrls(base: string, limit: number): Promise<string[]> {
  const index = await (await fetch(`${base}/sitemap.xml`)).text();
  const files = [...index.matchAll(/<loc>([^<]+\/sitemaps\/products\.xml[^<]*)<\/loc>/g)].map((m) =>
    m[1]!.replaceAll('&amp;', '&'),
  );
  const urls: string[] = [];
  for (const file of files) {
    const xml = await (await fetch(new URL(new URL(file).pathname + new URL(file).search, base))).text();
    for (const m of xml.matchAll(/<loc>([^<]+)<\/loc>/g)) urls.push(new URL(m[1]!).pathname);
  }
  if (urls.length === 0) throw new Error('the sitemap lists no product');
  const step = Math.max(1, Math.floor(urls.length / limit));
  return urls.filter((_, i) => i % step === 0).slice(0, limit);
}

/** Where a page ends up after redirects (a product's old URL answers 301 to its current one). */
async function finalPath(base: string, pathname: string): Promise<string> {
  const res = await fetch(`${base}${pathname}`, { headers: BROWSER_HEADERS });
  if (!res.ok) throw new Error(`${pathname} answered ${res.status}`);
  const url = new URL(res.url);
  return url.pathname + url.search;
}

async function load(
  base: string,
  paths: string[],
  headers: Record<string, string>,
): Promise<autocannon.Result> {
  let i = 0;
  return autocannon({
    url: base,
    connections: CONNECTIONS,
    duration: SECONDS,
    requests: [{ setupRequest: (req) => ({ ...req, path: paths[i++ % paths.length]!, headers }) }],
  });
}

async function throughput(dataset: string, base: string, products: string[]): Promise<ThroughputRow[]> {
  const rows: ThroughputRow[] = [];
  const record = (kind: string, r: autocannon.Result, expected: '2xx' | '3xx') => {
    const answered = r['1xx'] + r['2xx'] + r['3xx'] + r['4xx'] + r['5xx'];
    const row = {
      dataset,
      kind,
      rps: Math.round(r.requests.average),
      p50: r.latency.p50,
      p99: r.latency.p99,
      unexpected: answered - r[expected] + r.errors + r.timeouts,
    };
    rows.push(row);
    console.log(
      `  ${dataset} ${kind}: ${row.rps} req/s, p50 ${row.p50} ms, p99 ${row.p99} ms, unexpected ${row.unexpected}`,
    );
  };
  record('cold (a different product each request)', await load(base, products, BROWSER_HEADERS), '2xx');
  const one = products[0]!;
  record('warm (one product, 200)', await load(base, [one], BROWSER_HEADERS), '2xx');
  const etag = (await fetch(`${base}${one}`, { headers: BROWSER_HEADERS })).headers.get('etag');
  if (!etag) throw new Error(`${one} has no ETag`);
  record(
    'revalidation (If-None-Match, 304)',
    await load(base, [one], { ...BROWSER_HEADERS, 'if-none-match': etag }),
    '3xx',
  );
  return rows;
}

async function measureDataset(products: number, withLighthouse: boolean) {
  const dataset = products === 5000 ? '5k demo' : `${products / 1000}k generated`;
  console.log(`\n== ${dataset} (${products} products), load average ${loadAverage()}`);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bench-storefront-'));
  const ferret = await startFerretDb({
    binary: await ensureFerretDbBinary(path.join(ROOT, '.tools'), log),
    dataDir,
    log,
  });
  const dbName = 'bench_storefront';
  try {
    await seed(ferret.uri, dbName, products);
    const server = await startServer(
      { MONGODB_URI: ferret.uri, MONGODB_DB: dbName, DATA_DIR: dataDir },
      products,
    );
    try {
      const urls = await productUrls(server.url, COLD_PRODUCTS);
      const categories = (await (await fetch(`${server.url}/api/categories`)).json()) as {
        items: { id: string; parentId: string | null }[];
      };
      const department = categories.items.find((c) => c.parentId === null)!;
      const pages: [string, string][] = [
        ['home', '/'],
        ['category', `/c/${department.id}`],
        ['product', await finalPath(server.url, urls[0]!)],
        ['search', '/search?q=phone'],
      ];

      const scores = new Map<string, PageScores>();
      if (withLighthouse) {
        const lighthouse = await startLighthouse();
        const bar = new cliProgress.SingleBar(
          { format: '  Lighthouse [{bar}] {value}/{total} runs  {page}' },
          cliProgress.Presets.shades_classic,
        );
        bar.start(pages.length * RUNS, 0, { page: '' });
        try {
          for (const [name, pathname] of pages) {
            const runs: PageScores[] = [];
            for (let r = 0; r < RUNS; r++) {
              bar.increment(0, { page: pathname });
              runs.push(await lighthouse.run(`${server.url}${pathname}`));
              bar.increment();
            }
            const median = medianScores(runs);
            scores.set(name, median);
            // The bar is drawn only on a terminal: a line per page shows progress in a log too.
            if (!process.stderr.isTTY)
              console.log(
                `  Lighthouse ${pathname}: ${Object.values(median.scores).join(' / ')}, LCP ${Math.round(median.lcpMs)} ms, TBT ${Math.round(median.tbtMs)} ms`,
              );
          }
        } finally {
          bar.stop();
          await lighthouse.close();
        }
      }
      const js = new Map<string, InitialJs>();
      for (const [name, pathname] of pages) js.set(name, await measureInitialJs(`${server.url}${pathname}`));

      // The sitemap names canonical URLs: requested as they are, none renders before its cold request.
      for (const pathname of urls.slice(1, 4)) {
        const res = await fetch(`${server.url}${pathname}`, { redirect: 'manual', headers: BROWSER_HEADERS });
        if (res.status !== 200) throw new Error(`the sitemap's ${pathname} answered ${res.status}, not 200`);
      }
      const rows = await throughput(dataset, server.url, urls);
      return { dataset, pages, scores, js, rows };
    } finally {
      await server.stop();
    }
  } finally {
    await ferret.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;

console.log(
  `bench:storefront — ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ` +
    `c=${CONNECTIONS}, ${SECONDS} s per load run, Lighthouse ${RUNS} run(s) per page (median), load average ${loadAverage()}`,
);
ensureUiBuilt();
const results = [];
for (const [i, size] of SIZES.entries()) {
  const withLighthouse = !args['no-lighthouse'] && (i === 0 || args['lighthouse-all']);
  results.push(await measureDataset(size, withLighthouse));
}

for (const r of results) {
  if (r.scores.size === 0) continue;
  console.log(
    `\n| ${r.dataset}: page | performance | accessibility | best practices | SEO | LCP | CLS | TBT | audits losing points |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |`,
  );
  for (const [name, pathname] of r.pages) {
    const s = r.scores.get(name)!;
    console.log(
      `| ${name} \`${pathname}\` | ${s.scores.performance} | ${s.scores.accessibility} | ${s.scores['best-practices']} | ${s.scores.seo} | ` +
        `${(s.lcpMs / 1000).toFixed(1)} s | ${s.cls.toFixed(3)} | ${Math.round(s.tbtMs)} ms | ${s.failing.join(', ') || '—'} |`,
    );
  }
}
for (const r of results) {
  console.log(
    `\n| ${r.dataset}: page | initial JS files | raw | gzip | HTML as sent (br) |\n| --- | ---: | ---: | ---: | ---: |`,
  );
  for (const [name] of r.pages) {
    const j = r.js.get(name)!;
    console.log(
      `| ${name} | ${j.files} | ${kb(j.rawBytes)} | ${kb(j.gzipBytes)} | ${kb(j.htmlTransferBytes)} |`,
    );
  }
}
console.log(
  `\n| product page SSR, c=${CONNECTIONS} | requests | req/s | p50 ms | p99 ms | unexpected |\n| --- | --- | ---: | ---: | ---: | ---: |`,
);
for (const row of results.flatMap((r) => r.rows))
  console.log(`| ${row.dataset} | ${row.kind} | ${row.rps} | ${row.p50} | ${row.p99} | ${row.unexpected} |`);
console.log(`\nload average at the end: ${loadAverage()}`);
