/**
 * `npm run bench:recs` — the recommender at marketplace scale, over HTTP, on FerretDB.
 *
 *   BENCH_PRODUCTS=100000 BENCH_EVENTS=1000000 BENCH_SECONDS=10 npm run bench:recs
 *
 * A seeded generator writes 100k product listings and 1M interaction events (20k shoppers over 30 days,
 * Zipf-like popularity inside 100 leaf categories, with views, clicks, cart adds and purchases) straight
 * into the event store of a FerretDB of its own. Then it measures:
 *
 * 1. Full rebuild: `loadModel` (what every app process runs at start and on a rebuild job) in this
 *    process, with its time and V8 heap (retained and peak, with `--expose-gc`); then the app started as
 *    `npm start` runs it and the durable rebuild job through the admin API, with the process's peak RSS.
 * 2. Incremental lag: an event POSTed to /api/events until the product shows in /api/rankings/hot, on the
 *    same process and on a second app process sharing the database (it learns by tailing the store); the
 *    lists are read uncached there, so the figure is the event path alone.
 * 3. Recommendation requests at concurrency 32 (autocannon) on the first process, in its default
 *    configuration (hot lists cached 10 s): hot lists, similar, bought together, feed.
 * 4. Event ingestion: POST /api/events batches of 50 at concurrency 32; accepted and stored events/s.
 */
import autocannon from 'autocannon';
import cliProgress from 'cli-progress';
import Keygrip from 'keygrip';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { createCoreServices, createInProcessEventBus, createLogger, loadConfig } from '@market/core';
import { connectDatabase, ensureFerretDbBinary, startFerretDb } from '@market/core/db';
import { createRandom, type Random } from '@market/demo/random';
import {
  createEventStore,
  loadModel,
  RecsModel,
  type StoredEvent,
  type StoredEventType,
} from '@market/recommender/service';
import type { RecsNodeStatus, RecsStatus } from '@market/web/wire';
import { ApiClient } from '../tests/support/client';
import { UNLIMITED_REQUESTS } from '../tests/support/limits';
import { until } from '../tests/support/poll';
import { freePort } from '../tests/support/process';

/** NODE_ENV=production requires one; random per run and shared by the run's app processes. */
const WEBHOOK_SECRET = randomBytes(32).toString('hex');

const PRODUCTS = Number(process.env.BENCH_PRODUCTS ?? 100_000);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const ACTORS = Number(process.env.BENCH_ACTORS ?? 20_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const DAYS = 30;
const CONCURRENCY = 32;
const SEED = 20261126;
const LEAVES = 100;
const PAGE_EVENTS = 1000;
const LAG_PROBES = 20;
const DB_NAME = 'bench_recs';
const SECRET = 'r'.repeat(40);
const ADMIN = { email: 'bench-admin@bazaar.test', password: 'bench-admin-password' };
const ROOT = path.resolve(import.meta.dirname, '..');
const DAY = 86_400_000;
const log = createLogger('warn', 'bench');
const cleanups: (() => Promise<void> | void)[] = [];
const mb = (bytes: number) => Math.round(bytes / 1048576);

interface Catalog {
  ids: string[];
  /** Per leaf: item indexes and cumulative popularity weights, for sampling. */
  leaves: { items: number[]; cumulative: number[] }[];
}

// ---- data ----

function buildCatalog(random: Random): { catalog: Catalog; docs: Record<string, unknown>[] } {
  const leaves = Array.from({ length: LEAVES }, () => ({
    items: [] as number[],
    cumulative: [] as number[],
  }));
  const docs: Record<string, unknown>[] = [];
  const ids: string[] = [];
  const now = Date.now();
  for (let i = 0; i < PRODUCTS; i++) {
    const leaf = random.int(0, LEAVES - 1);
    const department = Math.floor(leaf / 10);
    const seller = random.int(0, 499);
    const brand = `Brand${department}-${random.int(0, 19)}`;
    const price = Math.round(Math.exp(random.next() * 8 + 6)) * 100 - 1;
    const id = `bp_${String(i).padStart(6, '0')}`;
    ids.push(id);
    leaves[leaf]!.items.push(i);
    docs.push({
      _id: id,
      shopId: `bs_${seller}`,
      shopName: `Bench shop ${seller}`,
      shopNameZh: `测试店铺 ${seller}`,
      sellerId: `bseller_${seller}`,
      categoryId: `bench-d${department}-l${leaf}`,
      categoryPath: [`bench-d${department}`, `bench-d${department}-l${leaf}`],
      name: `${brand} item ${i} model ${random.int(100, 999)}`,
      nameZh: `${brand} 商品 ${i}`,
      brand,
      priceMin: price,
      priceMax: price,
      imageUrl: `/media/placeholder/${id}.svg`,
      available: random.chance(0.05) ? 0 : random.int(1, 500),
      inStock: true,
      popularity: 0,
      createdAt: new Date(now - random.int(30, 400) * DAY),
      sourceVersion: 1,
    });
    docs.at(-1)!.inStock = (docs.at(-1)!.available as number) > 0;
  }
  // Zipf-like appeal inside each leaf: the k-th item of a leaf weighs 1 / (k + 1)^0.9.
  for (const leaf of leaves) {
    let total = 0;
    for (let k = 0; k < leaf.items.length; k++) leaf.cumulative.push((total += 1 / (k + 1) ** 0.9));
  }
  return { catalog: { ids, leaves }, docs };
}

function sampleItem(catalog: Catalog, leaf: number, random: Random): number {
  const { items, cumulative } = catalog.leaves[leaf]!;
  const target = random.next() * cumulative.at(-1)!;
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cumulative[mid]! < target) lo = mid + 1;
    else hi = mid;
  }
  return items[lo]!;
}

const TOKEN_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const tokenOf = (random: Random) => Array.from({ length: 24 }, () => random.pick([...TOKEN_CHARS])).join('');

/**
 * One day of shopping sessions, in time order: each shopper has two favourite leaves; a session views 3–12
 * items (80% in a favourite leaf), a view is clicked 20% of the time, carted 8%, bought 3%.
 */
function* eventsOfDay(day: number, perDay: number, catalog: Catalog, tokens: string[], random: Random) {
  const start = Date.now() - (DAYS - day) * DAY;
  const events: StoredEvent[] = [];
  while (events.length < perDay) {
    const actor = Math.floor(random.next() ** 1.5 * tokens.length);
    const favourite = [(actor * 7) % LEAVES, (actor * 13 + 5) % LEAVES];
    let at = start + random.next() * DAY;
    for (let n = random.int(3, 12); n > 0 && events.length < perDay; n--) {
      const leaf = random.chance(0.8) ? random.pick(favourite) : random.int(0, LEAVES - 1);
      const item = catalog.ids[sampleItem(catalog, leaf, random)]!;
      const a = `anon_${tokens[actor]}`;
      const push = (t: StoredEventType) => events.push({ a, t, i: item, at: Math.round((at += 1000)) });
      push('view');
      if (random.chance(0.2)) push('click');
      if (random.chance(0.08)) push('add_to_cart');
      if (random.chance(0.03)) push('purchase');
      at += random.int(20, 240) * 1000;
    }
  }
  events.sort((x, y) => x.at - y.at);
  yield* events;
}

async function writeData(uri: string) {
  const db = await connectDatabase(uri, DB_NAME);
  cleanups.push(() => db.close());
  const random = createRandom(SEED);
  const { catalog, docs } = buildCatalog(random);
  // Twenty one-product categories of their own for the lag probes: the first event makes a product the
  // hottest of its category.
  for (let k = 0; k < LAG_PROBES; k++) {
    docs.push({
      ...docs[k]!,
      _id: `bp_lag_${k}`,
      categoryId: `bench-lag-${k}`,
      categoryPath: [`bench-lag-${k}`],
      available: 100,
      inStock: true,
    });
  }
  const listings = db.connection.db!.collection('product_listings');
  const bar = new cliProgress.SingleBar(
    { format: '  {what} [{bar}] {value}/{total}  {eta}s left' },
    cliProgress.Presets.shades_classic,
  );
  let t0 = performance.now();
  bar.start(docs.length, 0, { what: 'listings' });
  for (let k = 0; k < docs.length; k += 1000) {
    await listings.insertMany(docs.slice(k, k + 1000), { ordered: false });
    bar.increment(Math.min(1000, docs.length - k));
  }
  bar.stop();
  console.log(`  ${docs.length} listings in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const tokens = Array.from({ length: ACTORS }, () => tokenOf(random));
  const store = createEventStore({ connection: db.connection, log });
  t0 = performance.now();
  bar.start(EVENTS, 0, { what: 'events  ' });
  let seq = 0;
  for (let day = 0; day < DAYS; day++) {
    const perDay = Math.floor(EVENTS / DAYS) + (day < EVENTS % DAYS ? 1 : 0);
    let page: StoredEvent[] = [];
    const flush = async () => {
      seq++;
      const at = new Date(page.at(-1)!.at);
      await store.writePage({ _id: `bench-gen:${seq}`, node: 'bench-gen', seq, at, events: page });
      bar.increment(page.length);
      page = [];
    };
    for (const e of eventsOfDay(day, perDay, catalog, tokens, random)) {
      page.push(e);
      if (page.length === PAGE_EVENTS) await flush();
    }
    if (page.length) await flush();
  }
  bar.stop();
  console.log(`  ${EVENTS} events in ${seq} pages in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const config = loadConfig({ MONGODB_URI: uri, MONGODB_DB: DB_NAME, LOG_LEVEL: 'warn' });
  const core = createCoreServices({
    config,
    connection: db.connection,
    bus: createInProcessEventBus(log),
    log,
  });
  await core.users.createUser({ ...ADMIN, name: 'Bench admin', roles: ['admin'] });
  return { db, core, catalog, tokens };
}

// ---- measurements ----

/** `loadModel` in this process: time, and V8 heap retained by the model and at its peak. */
async function measureLoadInProcess(data: Awaited<ReturnType<typeof writeData>>) {
  await data.core.listings.load();
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage().heapUsed;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 50);
  const bar = new cliProgress.SingleBar(
    { format: '  full load (in process) [{bar}] {percentage}%  {events} events' },
    cliProgress.Presets.shades_classic,
  );
  bar.start(100, 0, { events: 0 });
  const model = new RecsModel();
  const loaded = await loadModel({
    model,
    store: createEventStore({ connection: data.db.connection, log }),
    listings: data.core.listings,
    selfId: 'bench',
    retentionDays: 90,
    log,
    onProgress: (p) => bar.update(Math.round(p.progress * 100), { events: p.events }),
  });
  bar.stop();
  clearInterval(sampler);
  gc?.();
  const retained = process.memoryUsage().heapUsed - before;
  peak = Math.max(peak, process.memoryUsage().heapUsed);
  return {
    ms: loaded.ms,
    events: loaded.events,
    retained,
    peak: peak - before,
    gc: !!gc,
    stats: model.engine.stats(),
  };
}

interface Server {
  url: string;
  child: ChildProcess;
  lines: string[];
}

async function startServer(
  uri: string,
  dataDir: string,
  name: string,
  env: Record<string, string> = {},
): Promise<Server> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['--import', 'tsx', 'web/src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_URL: url,
      LOG_LEVEL: 'warn',
      SESSION_SECRET: SECRET,
      PAYMENT_WEBHOOK_SECRET: WEBHOOK_SECRET,
      SEED_DEMO: 'false',
      MONGODB_URI: uri,
      MONGODB_DB: DB_NAME,
      DATA_DIR: path.join(dataDir, name),
      RECS_EVENTS_PER_MINUTE: '1000000000',
      // One address plays every shopper here; the per-address request budgets would stop it.
      ...UNLIMITED_REQUESTS,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  for (const stream of [child.stdout!, child.stderr!])
    createInterface({ input: stream }).on('line', (l) => lines.push(l));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  cleanups.push(async () => {
    if (child.exitCode !== null) return;
    child.kill('SIGTERM');
    const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(kill);
  });
  await until(
    async () =>
      child.exitCode !== null ||
      (await fetch(`${url}/api/auth/session`).then(
        (r) => r.ok,
        () => false,
      )),
    300_000,
    `${name} to start`,
    20,
  );
  if (child.exitCode !== null) throw new Error(`${name} exited during start-up:\n${lines.join('\n')}`);
  return { url, child, lines };
}

/** Peak and current resident set of a process, from /proc (Linux). */
function rssOf(pid: number): { peak: number; now: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) * 1024;
  return { peak: kb('VmHWM'), now: kb('VmRSS') };
}

async function nodesOf(admin: ApiClient): Promise<RecsStatus> {
  const res = await admin.get('/api/admin/recs/status');
  if (res.status !== 200) throw new Error(`status: ${res.status}`);
  return res.body;
}

/** Waits for the server's first full load, with a progress bar fed by the admin status. */
async function waitForLoad(admin: ApiClient, what: string): Promise<RecsNodeStatus> {
  const bar = new cliProgress.SingleBar(
    { format: `  ${what} [{bar}] {percentage}%` },
    cliProgress.Presets.shades_classic,
  );
  bar.start(100, 0);
  let self: RecsNodeStatus | undefined;
  await until(
    async () => {
      const status = await nodesOf(admin);
      self = status.nodes.find((n) => n.id === status.thisNode);
      bar.update(Math.round((self?.progress ?? 0) * 100));
      return self?.state === 'ready' && self.loadMs !== null;
    },
    600_000,
    what,
    250,
  );
  bar.stop();
  return self!;
}

async function rebuildJob(admin: ApiClient, pid: number) {
  const started = await admin.post('/api/admin/recs/rebuild');
  if (started.status !== 202) throw new Error(`rebuild: ${started.status} ${JSON.stringify(started.body)}`);
  let peakHeap = 0;
  const bar = new cliProgress.SingleBar(
    { format: '  rebuild job [{bar}] {percentage}%' },
    cliProgress.Presets.shades_classic,
  );
  bar.start(100, 0);
  let status!: Awaited<ReturnType<typeof nodesOf>>;
  await until(
    async () => {
      status = await nodesOf(admin);
      const self = status.nodes.find((n) => n.id === status.thisNode)!;
      peakHeap = Math.max(peakHeap, self.heapUsed);
      bar.update(Math.round((self.state === 'ready' ? 1 : self.progress) * 100));
      return status.rebuild.jobId === started.body.jobId && status.rebuild.status === 'completed';
    },
    600_000,
    'the rebuild job',
    250,
  );
  bar.stop();
  const self = status.nodes.find((n) => n.id === status.thisNode)!;
  return {
    jobMs: (status.rebuild.result as { ms: number }).ms,
    loadMs: self.loadMs!,
    peakHeap,
    rss: rssOf(pid),
  };
}

/** Event POSTed → the product first in its category's hot list, read from `readFrom`. */
async function lagProbes(writeTo: string, readFrom: string, offset: number): Promise<number[]> {
  const lags: number[] = [];
  for (let k = offset; k < offset + LAG_PROBES / 2; k++) {
    const visitor = new ApiClient(writeTo);
    const res = await visitor.post('/api/events', { events: [{ type: 'view', productId: `bp_lag_${k}` }] });
    if (res.status !== 202) throw new Error(`events: ${res.status}`);
    const t0 = performance.now();
    await until(
      async () => {
        const hot = await new ApiClient(readFrom).get(`/api/rankings/hot?category=bench-lag-${k}&limit=1`);
        return hot.body.items?.[0]?.product.id === `bp_lag_${k}`;
      },
      60_000,
      'an event to reach the hot list',
      10,
    );
    lags.push(performance.now() - t0);
  }
  return lags.sort((a, b) => a - b);
}

async function load(
  url: string,
  title: string,
  setup: (req: autocannon.Request) => autocannon.Request,
  method = 'GET',
) {
  const r = await autocannon({
    url,
    connections: CONCURRENCY,
    duration: SECONDS,
    method: method as 'GET',
    requests: [{ setupRequest: setup }],
  });
  const row = {
    title,
    rps: Math.round(r.requests.average),
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.non2xx,
    requests: r.requests.total,
  };
  console.log(`  ${title}: ${row.rps} req/s, p50 ${row.p50} ms, p99 ${row.p99} ms, errors ${row.errors}`);
  return row;
}

async function main() {
  process.once('SIGINT', () => void cleanUp().then(() => process.exit(130)));
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bench-recs-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  console.log(`bench:recs — ${PRODUCTS} products, ${EVENTS} events, ${ACTORS} shoppers over ${DAYS} days`);
  console.log(`machine: ${os.cpus().length} cores, ${mb(os.totalmem())} MiB, node ${process.version}`);
  let uri = process.env.MONGODB_URI;
  if (!uri) {
    const binary = await ensureFerretDbBinary(path.join(ROOT, '.tools'), log);
    const ferret = await startFerretDb({ binary, dataDir: path.join(dataDir, 'ferret'), log });
    cleanups.push(() => ferret.stop());
    uri = ferret.uri;
  }
  const data = await writeData(uri);

  const inProcess = await measureLoadInProcess(data);
  console.log(
    `  full load in process: ${(inProcess.ms / 1000).toFixed(1)} s (${Math.round(inProcess.events / (inProcess.ms / 1000))} events/s), heap +${mb(inProcess.retained)} MiB retained, +${mb(inProcess.peak)} MiB peak${inProcess.gc ? '' : ' (run with --expose-gc for exact heap figures)'}`,
  );

  const t0 = performance.now();
  const a = await startServer(uri, dataDir, 'node-a');
  const admin = new ApiClient(a.url);
  await admin.login(ADMIN.email, ADMIN.password);
  const startLoad = await waitForLoad(admin, 'app start-up load');
  const startRss = rssOf(a.child.pid!);
  console.log(
    `  app up and loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s; recommender load ${(startLoad.loadMs! / 1000).toFixed(1)} s; RSS ${mb(startRss.now)} MiB (peak ${mb(startRss.peak)})`,
  );
  const rebuild = await rebuildJob(admin, a.child.pid!);
  console.log(
    `  rebuild job: ${(rebuild.jobMs / 1000).toFixed(1)} s (load ${(rebuild.loadMs / 1000).toFixed(1)} s); heap peak ${mb(rebuild.peakHeap)} MiB; RSS peak ${mb(rebuild.rss.peak)} MiB`,
  );

  // The second process answers the lag probes without a hot-list cache, so they time the event path
  // alone (with the default 10 s cache a list can be up to 10 s older still).
  const b = await startServer(uri, dataDir, 'node-b', { RECS_HOT_CACHE_SECONDS: '0' });
  const adminB = new ApiClient(b.url);
  await adminB.login(ADMIN.email, ADMIN.password);
  await waitForLoad(adminB, 'second app process load');
  const sameNode = await lagProbes(b.url, b.url, 0);
  const otherNode = await lagProbes(a.url, b.url, LAG_PROBES / 2);
  const fmt = (l: number[]) =>
    `p50 ${Math.round(l[Math.floor(l.length / 2)]!)} ms, max ${Math.round(l.at(-1)!)} ms`;
  console.log(`  lag, same process: ${fmt(sameNode)}; other process: ${fmt(otherNode)}`);
  // The second process only served the lag probes; the request and ingestion figures are for one.
  b.child.kill('SIGTERM');

  const random = createRandom(SEED + 1);
  const popular = data.catalog.leaves
    .flatMap((leaf) => leaf.items.slice(0, 20))
    .map((i) => data.catalog.ids[i]!);
  const pick = <T>(values: T[]) => values[random.int(0, values.length - 1)]!;
  const keys = new Keygrip([SECRET]);
  // Shoppers drawn from the whole population (the first tokens are the heaviest shoppers).
  const cookies = Array.from({ length: 5000 }, () => pick(data.tokens)).map(
    (t) => `rid=${t}; rid.sig=${keys.sign(`rid=${t}`)}`,
  );
  const rows = [
    await load(a.url, 'GET /api/rankings/hot', (req) => ({ ...req, path: '/api/rankings/hot?limit=12' })),
    await load(a.url, 'GET /api/rankings/hot?category=…', (req) => ({
      ...req,
      path: `/api/rankings/hot?limit=12&category=bench-d${random.int(0, 9)}-l${random.int(0, LEAVES - 1)}`,
    })),
    await load(a.url, 'GET /api/products/:id/similar', (req) => ({
      ...req,
      path: `/api/products/${pick(popular)}/similar?limit=12`,
    })),
    await load(a.url, 'GET /api/products/:id/bought-together', (req) => ({
      ...req,
      path: `/api/products/${pick(popular)}/bought-together?limit=12`,
    })),
    await load(a.url, 'GET /api/recs/feed (shoppers with history)', (req) => ({
      ...req,
      path: '/api/recs/feed?limit=12',
      headers: { ...req.headers, cookie: pick(cookies) },
    })),
  ];

  const before = await nodesOf(admin);
  const eventsBefore = before.nodes.find((n) => n.id === before.thisNode)!.events;
  const ingestStart = performance.now();
  const ingest = await load(
    a.url,
    'POST /api/events (50 views each)',
    (req) => ({
      ...req,
      method: 'POST',
      path: '/api/events',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        events: Array.from({ length: 50 }, () => ({ type: 'view', productId: pick(data.catalog.ids) })),
      }),
    }),
    'POST',
  );
  let drained!: RecsNodeStatus;
  await until(
    async () => {
      const status = await nodesOf(admin);
      drained = status.nodes.find((n) => n.id === status.thisNode)!;
      return drained.buffered === 0;
    },
    600_000,
    'the event buffer to drain',
    100,
  );
  const storedSeconds = (performance.now() - ingestStart) / 1000;
  const accepted = ingest.requests * 50;
  const stored = drained.events - eventsBefore;
  console.log(
    `  ingestion: ${Math.round(accepted / SECONDS)} events/s accepted, ${stored} stored and applied in ${storedSeconds.toFixed(1)} s (${Math.round(stored / storedSeconds)} events/s), ${drained.dropped} dropped`,
  );

  console.log('\n| measure | figure |\n| --- | --- |');
  console.log(
    `| full load in process (\`loadModel\`) | ${(inProcess.ms / 1000).toFixed(1)} s, ${Math.round(inProcess.events / (inProcess.ms / 1000)).toLocaleString('en')} events/s |`,
  );
  console.log(
    `| model heap (retained / peak during load) | ${mb(inProcess.retained)} MiB / ${mb(inProcess.peak)} MiB |`,
  );
  console.log(
    `| app start-up load / rebuild job | ${(startLoad.loadMs! / 1000).toFixed(1)} s / ${(rebuild.jobMs / 1000).toFixed(1)} s |`,
  );
  console.log(
    `| app RSS after load / peak during rebuild | ${mb(startRss.now)} MiB / ${mb(rebuild.rss.peak)} MiB |`,
  );
  console.log(`| lag, same process | ${fmt(sameNode)} |`);
  console.log(`| lag, other process (tailing) | ${fmt(otherNode)} |`);
  console.log('\n| request (c=32) | req/s | p50 | p99 | non-2xx |\n| --- | ---: | ---: | ---: | ---: |');
  for (const r of [...rows, ingest])
    console.log(`| ${r.title} | ${r.rps} | ${r.p50} ms | ${r.p99} ms | ${r.errors} |`);
  console.log(
    `\ningestion: ${Math.round(accepted / SECONDS)} events/s accepted; ${Math.round(stored / storedSeconds)} events/s stored and applied; ${drained.dropped} dropped`,
  );
  const warnings = a.lines.filter((l) => /"level":(40|50|60)/.test(l));
  if (warnings.length)
    console.log(`\nserver warnings (${warnings.length}):\n${warnings.slice(0, 10).join('\n')}`);
}

async function cleanUp(): Promise<void> {
  for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => undefined);
  cleanups.length = 0;
}

main()
  .catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => void cleanUp());
