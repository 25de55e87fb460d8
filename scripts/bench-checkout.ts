/**
 * `npm run bench:checkout` — checkout throughput and latency over HTTP on FerretDB, with the number of
 * units the same run oversold (which must be 0).
 *
 *   BENCH_CONCURRENCY=1,16,64 BENCH_CHECKOUTS=400 npm run bench:checkout
 *
 * A small demo catalog is seeded into a FerretDB of its own. For each concurrency level, shoppers register
 * and fill a cart over HTTP with one unit of a plentiful SKU (100,000 in stock) and one unit of a hot SKU
 * (a fresh set of 20 SKUs with 10 units each, so demand exceeds supply and the stock race is real); then
 * every shopper checks out with exactly `c` requests in flight. The stock ledger of the hot SKUs is read
 * back through the core inventory service. Last, the placed checkouts of the last level are paid on the
 * sandbox and timed until their orders read `paid` (the webhook travels through the durable job queue).
 *
 * The server runs as its own process (as `npm start` does), so it shares the machine's cores with this
 * load generator the way a real single-node deployment would.
 */
import cliProgress from 'cli-progress';
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import {
  type CoreServices,
  createCoreServices,
  createInProcessEventBus,
  createLogger,
  loadConfig,
  SANDBOX_WEBHOOK_JOB,
  type StockOwner,
} from '@market/core';
import { connectDatabase, ensureFerretDbBinary, startFerretDb } from '@market/core/db';
import { seedDemo, type DemoCatalog } from '@market/demo';
import { createRandom } from '@market/demo/random';
import { registerUser } from '../tests/support/accounts';
import type { ApiClient, Response } from '../tests/support/client';
import { until } from '../tests/support/poll';
import { UNLIMITED_REQUESTS } from '../tests/support/limits';
import { freePort } from '../tests/support/process';

/** NODE_ENV=production requires one; random per run and shared by the run's app processes. */
const WEBHOOK_SECRET = randomBytes(32).toString('hex');

const LEVELS = (process.env.BENCH_CONCURRENCY ?? '1,16,64').split(',').map(Number);
const CHECKOUTS = Number(process.env.BENCH_CHECKOUTS ?? 400);
const PRODUCTS = 300;
const PLENTIFUL = { skus: 100, stock: 100_000 };
const HOT = { skus: 20, stock: 10 };
const PREPARE_PARALLELISM = 8;
const PAY_PARALLELISM = 8;
// Generous: at c=64 on two cores a checkout can queue for over 20 s behind the others.
const REQUEST_TIMEOUT_MS = 120_000;
const DB_NAME = 'bench_checkout';
const ROOT = path.resolve(import.meta.dirname, '..');
const ADDRESS = {
  name: 'Li Lei',
  phone: '+86 138 0000 0000',
  line1: '88 Century Ave',
  city: 'Shanghai',
  province: 'Shanghai',
  postcode: '200120',
};
const log = createLogger('warn', 'bench');
const random = createRandom(2026);

interface Shopper {
  client: ApiClient;
  hot: StockOwner;
}

interface Attempt {
  shopper: Shopper;
  status: number;
  /** The error code of a refusal (`insufficient_stock`, `cart_changed`, …). */
  code: string | null;
  ms: number;
  body: { checkoutId: string; orders: { id: string }[]; payment: { redirectUrl: string } };
}

interface LevelResult {
  concurrency: number;
  attempts: Attempt[];
  seconds: number;
  audit: Audit;
}

interface Audit {
  oversold: number;
  soldOut: number;
  problems: string[];
}

// ---- lifecycle: everything started is stopped, on success, on error and on Ctrl-C ----

const cleanups: (() => Promise<void> | void)[] = [];
/** What the server printed (warnings and errors only), for the report and for a failure. */
const serverLog: string[] = [];
let cleaning: Promise<void> | undefined;

function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    for (const step of cleanups.reverse()) {
      try {
        await step();
      } catch (err) {
        console.error('cleanup step failed:', err);
      }
    }
  })();
  return cleaning;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    console.error(`\n${signal}: stopping the server and FerretDB…`);
    void cleanUp().then(() => process.exit(130));
  });

/** A benchmark never waits forever: `work` must settle within `ms`. */
async function within<T>(ms: number, what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`gave up waiting for ${what} after ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs `work` on every item with exactly `parallel` calls in flight (fewer only at the very end). */
async function inParallel<T, R>(items: T[], parallel: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < items.length; i = next++) results[i] = await work(items[i]!);
  };
  await Promise.all(Array.from({ length: Math.min(parallel, items.length) }, lane));
  return results;
}

function expectStatus(res: Response, status: number, what: string) {
  if (res.status !== status)
    throw new Error(`${what}: expected ${status}, got ${res.status} ${JSON.stringify(res.body)}`);
}

// ---- the database, the catalog and the server ----

async function startDatabase() {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bench-checkout-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const binary = await ensureFerretDbBinary(path.join(ROOT, '.tools'), log);
  const ferret = await startFerretDb({ binary, dataDir, log });
  cleanups.push(() => ferret.stop());
  return { dataDir, uri: ferret.uri };
}

/** Every SKU of the catalog, taken round-robin over sellers so that any slice spans many sellers. */
function skusAcrossSellers(catalog: DemoCatalog): StockOwner[] {
  const bySeller = new Map<string, StockOwner[]>();
  for (const p of catalog.products)
    for (const v of p.variants) {
      const own = bySeller.get(p.sellerId) ?? bySeller.set(p.sellerId, []).get(p.sellerId)!;
      own.push({ sku: v.sku, productId: p.id, sellerId: p.sellerId });
    }
  const queues = [...bySeller.values()];
  const out: StockOwner[] = [];
  for (let round = 0; queues.some((q) => round < q.length); round++)
    for (const q of queues) if (round < q.length) out.push(q[round]!);
  return out;
}

/** Seeds the demo catalog through the core services and stocks the plentiful and hot SKUs. */
async function seedCatalog(uri: string) {
  const config = loadConfig({ MONGODB_URI: uri, MONGODB_DB: DB_NAME, LOG_LEVEL: 'warn' });
  const db = await connectDatabase(uri, DB_NAME);
  cleanups.push(() => db.close());
  const core = createCoreServices({
    config,
    connection: db.connection,
    bus: createInProcessEventBus(log),
    log,
  });
  await Promise.all(db.connection.modelNames().map((m) => db.connection.model(m).init()));
  const t0 = performance.now();
  const { catalog } = await seedDemo(core, { products: PRODUCTS });

  const skus = skusAcrossSellers(catalog);
  const needed = PLENTIFUL.skus + HOT.skus * LEVELS.length;
  if (skus.length < needed) throw new Error(`the catalog has ${skus.length} SKUs, the bench needs ${needed}`);
  const plentiful = skus.slice(0, PLENTIFUL.skus);
  const hotSets = LEVELS.map((_, k) => skus.slice(PLENTIFUL.skus + k * HOT.skus).slice(0, HOT.skus));
  await inParallel(plentiful, 8, (sku) => core.inventory.setStock(sku, PLENTIFUL.stock, null));
  await inParallel(hotSets.flat(), 8, (sku) => core.inventory.setStock(sku, HOT.stock, null));
  await core.listings.settled();
  console.log(
    `  seeded ${catalog.products.length} products (${skus.length} SKUs, ${catalog.sellers.length} sellers) and stocked ${needed} SKUs in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  return { core, catalog, skuCount: skus.length, plentiful, hotSets };
}

/** The app as `npm start` runs it, on the bench database; its warnings are kept for the report. */
async function startServer(uri: string, dataDir: string) {
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
      SESSION_SECRET: 'c'.repeat(40),
      PAYMENT_WEBHOOK_SECRET: WEBHOOK_SECRET,
      SEED_DEMO: 'false',
      MONGODB_URI: uri,
      MONGODB_DB: DB_NAME,
      DATA_DIR: path.join(dataDir, 'app'),
      // One address plays every shopper here; the per-address request budgets would stop it.
      ...UNLIMITED_REQUESTS,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logLines = serverLog;
  for (const stream of [child.stdout, child.stderr])
    createInterface({ input: stream }).on('line', (line) => logLines.push(line));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const running = () => child.exitCode === null && child.signalCode === null;
  cleanups.push(async () => {
    if (!running()) return;
    child.kill('SIGTERM');
    const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(kill);
  });

  const t0 = performance.now();
  // A server that dies during start-up ends the wait at once (its output says why).
  await until(
    async () =>
      !running() ||
      (await fetch(`${url}/api/auth/session`).then(
        (r) => r.ok,
        () => false,
      )),
    120_000,
    'the server to start',
    100,
  );
  if (!running()) throw new Error(`the server exited during start-up:\n${logLines.join('\n')}`);
  console.log(`  server up in ${((performance.now() - t0) / 1000).toFixed(1)} s at ${url}`);
  return { url, logLines };
}

// ---- one concurrency level ----

/** Shoppers with a cart of two lines: one plentiful SKU and one hot SKU, both picked at random. */
async function prepareShoppers(
  url: string,
  count: number,
  plentiful: StockOwner[],
  hot: StockOwner[],
  c: number,
) {
  const carts = Array.from({ length: count }, (_, i) => ({
    name: `bench-c${c}-${i}-${randomUUID().slice(0, 8)}`,
    lines: [random.pick(plentiful), random.pick(hot)] as const,
  }));
  const bar = new cliProgress.SingleBar(
    { format: `  c=${c}: preparing shoppers [{bar}] {value}/{total}  {eta}s left` },
    cliProgress.Presets.shades_classic,
  );
  bar.start(count, 0);
  try {
    return await inParallel(carts, PREPARE_PARALLELISM, async ({ name, lines }): Promise<Shopper> => {
      const client = await within(
        REQUEST_TIMEOUT_MS,
        'a registration',
        registerUser(url, 'shopper', { name }),
      );
      for (const line of lines) {
        const added = await within(
          REQUEST_TIMEOUT_MS,
          'an add to cart',
          client.post('/api/cart/lines', { sku: line.sku, qty: 1 }),
        );
        expectStatus(added, 200, 'add to cart');
      }
      bar.increment();
      return { client, hot: lines[1] };
    });
  } finally {
    bar.stop();
  }
}

/** Every shopper checks out once, with exactly `concurrency` checkouts in flight. */
async function checkoutAll(shoppers: Shopper[], concurrency: number) {
  const t0 = performance.now();
  const attempts = await inParallel(shoppers, concurrency, async (shopper): Promise<Attempt> => {
    const started = performance.now();
    const res = await within(
      REQUEST_TIMEOUT_MS,
      'a checkout',
      shopper.client.request('POST', '/api/checkout', {
        json: { delivery: { method: 'courier', address: ADDRESS } },
        headers: { 'idempotency-key': randomUUID() },
      }),
    );
    const ms = performance.now() - started;
    return { shopper, status: res.status, code: res.error?.code ?? null, ms, body: res.body };
  });
  return { attempts, seconds: (performance.now() - t0) / 1000 };
}

/**
 * Oversell of the hot SKUs: units in placed checkouts beyond each SKU's stock, and a ledger that agrees
 * (final level = stock − units placed, no entry ever below zero).
 */
async function auditHotSkus(core: CoreServices, hot: StockOwner[], attempts: Attempt[]): Promise<Audit> {
  const placed = new Map<string, number>();
  for (const a of attempts)
    if (a.status === 201) placed.set(a.shopper.hot.sku, (placed.get(a.shopper.hot.sku) ?? 0) + 1);
  const audit: Audit = { oversold: 0, soldOut: 0, problems: [] };
  for (const owner of hot) {
    const units = placed.get(owner.sku) ?? 0;
    audit.oversold += Math.max(0, units - HOT.stock);
    if (units === HOT.stock) audit.soldOut++;
    const level = await core.inventory.getLevel(owner);
    if (level.available !== HOT.stock - units)
      audit.problems.push(`${owner.sku}: ${level.available} left, expected ${HOT.stock - units}`);
    const below = (await core.inventory.history(owner.sku, 10_000)).filter((e) => e.available < 0);
    if (below.length) audit.problems.push(`${owner.sku}: ${below.length} ledger entries below zero`);
  }
  return audit;
}

// ---- payment of the placed checkouts ----

interface Payment {
  orderIds: string[];
  /** Wall-clock time (ms) the pay call was sent: the server stamps order events with the same clock. */
  sentAt: number;
  callMs: number;
}

/** Pays each placed checkout on the sandbox's hosted page (what the shopper's "Pay" button does). */
async function payPlaced(attempts: Attempt[]): Promise<Payment[]> {
  const placed = attempts.filter((a) => a.status === 201);
  return inParallel(placed, PAY_PARALLELISM, async ({ shopper, body }) => {
    const sessionId = body.payment.redirectUrl.split('/').pop();
    const sentAt = Date.now();
    const t0 = performance.now();
    const res = await within(
      REQUEST_TIMEOUT_MS,
      'a sandbox payment',
      shopper.client.post(`/api/sandbox-psp/sessions/${sessionId}/complete`, {
        method: 'alipay',
        outcome: 'succeed',
      }),
    );
    expectStatus(res, 200, 'sandbox payment');
    return { orderIds: body.orders.map((o) => o.id), sentAt, callMs: performance.now() - t0 };
  });
}

/**
 * Time from each pay call to the moment its last order became `paid`, read from the orders' own timeline.
 * The wait is on the (small) finished-jobs count, not on the orders: reading hundreds of orders in a
 * loop would load the very database the webhooks are being processed on.
 */
async function paidLatencies(core: CoreServices, payments: Payment[]): Promise<number[]> {
  const finished = async () =>
    (await core.queue.count({ type: SANDBOX_WEBHOOK_JOB, status: 'completed' })) +
    (await core.queue.count({ type: SANDBOX_WEBHOOK_JOB, status: 'dead' }));
  await until(
    async () => (await finished().catch(() => 0)) >= payments.length,
    300_000,
    `${payments.length} payment webhooks`,
    250,
  );
  const orders = await core.orders.getMany(payments.flatMap((p) => p.orderIds));
  const paidAt = new Map(
    orders.flatMap((o) => {
      const paid = o.timeline.find((e) => e.status === 'paid');
      return paid ? [[o.id, paid.at.getTime()] as const] : [];
    }),
  );
  if (paidAt.size < orders.length)
    throw new Error(`after every webhook, orders are: ${tally(orders.map((o) => o.status))}`);
  return payments.map((p) => Math.max(...p.orderIds.map((id) => paidAt.get(id)!)) - p.sentAt);
}

/** Where the webhook time goes: each webhook job from enqueue (the pay call) to done, and its retries. */
async function webhookJobs(core: CoreServices) {
  const jobs = await core.queue.list({ type: SANDBOX_WEBHOOK_JOB, limit: 1000 });
  return {
    count: jobs.length,
    retried: jobs.filter((j) => j.attempts > 1).length,
    notCompleted: jobs.filter((j) => j.status !== 'completed').length,
    doneMs: jobs.map((j) => j.updatedAt.getTime() - j.createdAt.getTime()),
  };
}

// ---- report ----

const pct = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN;
};
const fmt = (ms: number) => (Number.isNaN(ms) ? '–' : ms.toFixed(ms < 10 ? 2 : 1));

function tally(items: string[]): string {
  const counts = new Map<string, number>();
  for (const i of items) counts.set(i, (counts.get(i) ?? 0) + 1);
  return [...counts].map(([k, n]) => `${k} ×${n}`).join(', ') || '0';
}

function printLevels(results: LevelResult[]) {
  console.log(
    '\n| concurrency | checkouts | placed (201) | refused (409) | other statuses | checkouts/s | placed/s | p50 ms | p99 ms | oversold units | ledger |' +
      '\n| ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | --- |',
  );
  for (const { concurrency, attempts, seconds, audit } of results) {
    const placed = attempts.filter((a) => a.status === 201).length;
    const refused = attempts.filter((a) => a.status === 409).length;
    const other = tally(
      attempts.filter((a) => a.status !== 201 && a.status !== 409).map((a) => String(a.status)),
    );
    const ms = attempts.map((a) => a.ms);
    const ledger = audit.problems.length ? `${audit.problems.length} problems` : 'consistent';
    console.log(
      `| ${concurrency} | ${attempts.length} | ${placed} | ${refused} | ${other} | ${(attempts.length / seconds).toFixed(1)} | ${(placed / seconds).toFixed(1)} | ${fmt(pct(ms, 50))} | ${fmt(pct(ms, 99))} | ${audit.oversold} | ${ledger} |`,
    );
  }

  console.log(
    '\n| concurrency | placed p50 / p99 ms | refused p50 / p99 ms | refusal codes | hot SKUs sold out |' +
      '\n| ---: | ---: | ---: | --- | ---: |',
  );
  // cart_changed: the hot SKU had sold out before the checkout priced the cart (nothing was held).
  // insufficient_stock: it sold out between pricing and holding, the race the ledger has to win.
  for (const { concurrency, attempts, audit } of results) {
    const ms = (status: number) => attempts.filter((a) => a.status === status).map((a) => a.ms);
    const codes = tally(attempts.filter((a) => a.status === 409).map((a) => a.code ?? '?'));
    console.log(
      `| ${concurrency} | ${fmt(pct(ms(201), 50))} / ${fmt(pct(ms(201), 99))} | ${fmt(pct(ms(409), 50))} / ${fmt(pct(ms(409), 99))} | ${codes} | ${audit.soldOut}/${HOT.skus} |`,
    );
  }
  for (const { concurrency, attempts, audit } of results) {
    for (const p of audit.problems) console.log(`  c=${concurrency} ledger: ${p}`);
    for (const a of attempts.filter((x) => x.status !== 201 && x.status !== 409).slice(0, 3))
      console.log(`  c=${concurrency} status ${a.status}: ${JSON.stringify(a.body).slice(0, 300)}`);
  }
}

function printPayments(
  concurrency: number,
  payments: Payment[],
  paidMs: number[],
  jobs: Awaited<ReturnType<typeof webhookJobs>>,
) {
  const call = payments.map((p) => p.callMs);
  console.log(
    `\n| paying the ${payments.length} placed checkouts of c=${concurrency}, ${PAY_PARALLELISM} at a time | p50 ms | p99 ms |\n| --- | ---: | ---: |`,
  );
  console.log(
    `| sandbox pay call (POST /api/sandbox-psp/sessions/:id/complete) | ${fmt(pct(call, 50))} | ${fmt(pct(call, 99))} |`,
  );
  console.log(
    `| pay call sent → every order of the checkout paid | ${fmt(pct(paidMs, 50))} | ${fmt(pct(paidMs, 99))} |`,
  );
  console.log(
    `| webhook job enqueued → done (${jobs.count} jobs, ${jobs.retried} retried, ${jobs.notCompleted} not completed) | ${fmt(pct(jobs.doneMs, 50))} | ${fmt(pct(jobs.doneMs, 99))} |`,
  );
}

// ---- main ----

async function main() {
  if (!LEVELS.length || LEVELS.some((c) => !Number.isInteger(c) || c < 1))
    throw new Error(`BENCH_CONCURRENCY must list positive integers, got "${process.env.BENCH_CONCURRENCY}"`);
  if (!Number.isInteger(CHECKOUTS) || CHECKOUTS < 1)
    throw new Error('BENCH_CHECKOUTS must be a positive integer');
  const cpus = os.cpus();
  console.log(
    `bench:checkout — c=${LEVELS.join(', ')}; ${CHECKOUTS} checkouts per level (at most 100 at c=1); carts: 1 plentiful SKU + 1 of ${HOT.skus} hot SKUs × ${HOT.stock} units`,
  );

  const { dataDir, uri } = await startDatabase();
  const { core, catalog, skuCount, plentiful, hotSets } = await seedCatalog(uri);
  const server = await startServer(uri, dataDir);

  const results: LevelResult[] = [];
  for (const [k, concurrency] of LEVELS.entries()) {
    const count = concurrency === 1 ? Math.min(100, CHECKOUTS) : CHECKOUTS;
    const shoppers = await prepareShoppers(server.url, count, plentiful, hotSets[k]!, concurrency);
    const { attempts, seconds } = await checkoutAll(shoppers, concurrency);
    const audit = await auditHotSkus(core, hotSets[k]!, attempts);
    results.push({ concurrency, attempts, seconds, audit });
    const placed = attempts.filter((a) => a.status === 201).length;
    console.log(
      `  c=${concurrency}: ${attempts.length} checkouts in ${seconds.toFixed(1)} s, ${placed} placed, oversold ${audit.oversold}`,
    );
  }
  const last = results.at(-1)!;
  const payments = await payPlaced(last.attempts);
  const paidMs = await paidLatencies(core, payments);
  const jobs = await webhookJobs(core);

  console.log(
    `\nmachine: ${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB; Node ${process.version}; FerretDB (SQLite), server and load generator on the same machine`,
  );
  console.log(
    `data: ${catalog.products.length} products, ${skuCount} SKUs, ${catalog.sellers.length} sellers`,
  );
  printLevels(results);
  printPayments(last.concurrency, payments, paidMs, jobs);
  const broken = results.filter(
    (r) =>
      r.audit.oversold || r.audit.problems.length || r.attempts.some((a) => ![201, 409].includes(a.status)),
  );
  if (broken.length) {
    console.error(
      `\nFAILED: oversold, an inconsistent ledger or unexpected statuses at c=${broken.map((r) => r.concurrency).join(', ')}`,
    );
    process.exitCode = 1;
  }
  if (server.logLines.length)
    console.log(
      `\nserver logged ${server.logLines.length} warning/error lines, first: ${server.logLines.slice(0, 3).join('\n')}`,
    );
}

try {
  await main();
} catch (err) {
  if (serverLog.length) console.error(`server output (last 30 lines):\n${serverLog.slice(-30).join('\n')}`);
  throw err;
} finally {
  await cleanUp();
}
