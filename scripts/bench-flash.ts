/**
 * `npm run bench:flash` — a flash sale's admission spike: N signed-in buyers (sessions made beforehand)
 * press "claim" within one second for a sale of 100 units, against one app process (admission in its
 * memory) and against two app processes sharing Redis (admission in one Lua script per press).
 *
 *   BENCH_BUYERS=10000 BENCH_UNITS=100 npm run bench:flash
 *   BENCH_MODES=one npm run bench:flash     (one node only; `two` for the Redis pair only)
 *   BENCH_SESSIONS=cold npm run bench:flash (no buyer has loaded a page before the spike)
 *
 * By default (`BENCH_SESSIONS=warm`) every buyer loads `/api/auth/session` — what the flash-sale page
 * does when it opens — in the seconds before the start, as people waiting on the page have; the nodes
 * then hold their sessions in memory (`SESSION_CACHE_SECONDS`). `cold` is buyers who press without
 * having loaded anything from that node in the last minute: each press reads its session and user.
 *
 * Prints admission answers per second, p50/p99 of the answer (send to reply, so it includes the wait for
 * one of the load generator's sockets), winners (must equal the units) and oversold (must be 0: winners
 * beyond the units, or normal stock below what was left outside the sale). Each winner checks out with
 * its claim the moment it wins (self-pickup) and pays on the sandbox's hosted page; the run prints the
 * time from the spike's start until every winner's order exists, and until every one reads `paid` (the
 * webhook travels through the durable job queue), and fails unless every order is at the sale price and
 * normal stock is still what was left outside the sale. The servers run as their own processes, as
 * `npm start` does, and share the machine's two cores with this load generator.
 */
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import Keygrip from 'keygrip';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import {
  closeRedis,
  PICKUP_POINTS,
  createCoreServices,
  createInProcessEventBus,
  createLogger,
  loadConfig,
  mapPooled,
  openRedis,
} from '@market/core';
import { connectDatabase, ensureFerretDbBinary, startFerretDb } from '@market/core/db';
import { seedDemo } from '@market/demo';
import { UNLIMITED_REQUESTS } from '../tests/support/limits';
import { until } from '../tests/support/poll';
import { freePort } from '../tests/support/process';
import { startRedis } from '../tests/support/redis';

const BUYERS = Number(process.env.BENCH_BUYERS ?? 10_000);
const UNITS = Number(process.env.BENCH_UNITS ?? 100);
const OUTSIDE_SALE = 50;
const SPREAD_MS = 1_000;
const SOCKETS = 256;
const SECRET = 'f'.repeat(40);
const ROOT = path.resolve(import.meta.dirname, '..');
const log = createLogger('warn', 'bench');

const cleanups: (() => Promise<void> | void)[] = [];
async function cleanUp() {
  for (const step of cleanups.reverse()) {
    try {
      await step();
    } catch (err) {
      console.error('cleanup step failed:', err);
    }
  }
  cleanups.length = 0;
}
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => void cleanUp().then(() => process.exit(130)));

interface Buyer {
  id: string;
  cookie: string;
  csrf: string;
}

async function startServer(uri: string, dbName: string, dataDir: string, redisUrl: string | null) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // BENCH_NODE_FLAGS (e.g. `--cpu-prof --cpu-prof-dir=tmp/prof`) go to each server's node.
  const flags = (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...flags, '--import', 'tsx', 'web/src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_URL: url,
      LOG_LEVEL: 'warn',
      SESSION_SECRET: SECRET,
      PAYMENT_WEBHOOK_SECRET: 'w'.repeat(40),
      SEED_DEMO: 'false',
      MONGODB_URI: uri,
      MONGODB_DB: dbName,
      DATA_DIR: path.join(dataDir, `app-${port}`),
      ...(redisUrl && { REDIS_URL: redisUrl }),
      // One address plays every buyer here; the per-address budgets would stop it.
      ...UNLIMITED_REQUESTS,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  for (const stream of [child.stdout, child.stderr])
    createInterface({ input: stream }).on('line', (line) => lines.push(line));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const running = () => child.exitCode === null && child.signalCode === null;
  cleanups.push(async () => {
    if (!running()) return;
    child.kill('SIGTERM');
    await exited;
  });
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
  if (!running()) throw new Error(`the server exited during start-up:\n${lines.join('\n')}`);
  return url;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: SOCKETS });

/** One JSON POST as the buyer, over the shared keep-alive sockets. */
function post<T>(
  url: string,
  buyer: Buyer,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: T }> {
  const json = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          cookie: buyer.cookie,
          'x-csrf-token': buyer.csrf,
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(json)),
          ...headers,
        },
      },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as T }));
      },
    );
    req.on('error', reject);
    req.end(json);
  });
}

/** What the flash-sale page asks when it opens: the signed-in user (its session read on that node). */
function pageOpen(url: string, buyer: Buyer): Promise<void> {
  return new Promise((resolve, reject) => {
    http
      .get(`${url}/api/auth/session`, { agent, headers: { cookie: buyer.cookie } }, (res) => {
        res.resume();
        res.on('end', () =>
          res.statusCode === 200 ? resolve() : reject(new Error(`page open: ${res.statusCode}`)),
        );
      })
      .on('error', reject);
  });
}

async function press(url: string, buyer: Buyer, saleId: string) {
  const res = await post<{ status?: string; token?: string; error?: { code: string } }>(
    `${url}/api/flash-sales/${saleId}/claim`,
    buyer,
    {},
  );
  return {
    status: res.status,
    answer: res.body.status ?? res.body.error?.code ?? '?',
    token: res.body.token,
  };
}

interface Placed {
  checkoutId: string;
  total: number;
  orders: { id: string }[];
  payment: { redirectUrl: string };
}

/** What a winner does at once: checks out with the claim (self-pickup), then pays on the sandbox page. */
async function checkOutAndPay(url: string, buyer: Buyer, saleId: string, token: string) {
  const placed = await post<Placed>(
    `${url}/api/checkout`,
    buyer,
    { delivery: { method: 'pickup', pickupPointId: PICKUP_POINTS[0]!.id }, flashClaim: { saleId, token } },
    { 'idempotency-key': randomUUID() },
  );
  if (placed.status !== 201)
    throw new Error(`flash checkout: ${placed.status} ${JSON.stringify(placed.body)}`);
  const orderExistsAt = performance.now();
  const sessionId = placed.body.payment.redirectUrl.split('/').pop();
  const paid = await post(`${url}/api/sandbox-psp/sessions/${sessionId}/complete`, buyer, {
    method: 'alipay',
    outcome: 'succeed',
  });
  if (paid.status !== 200) throw new Error(`sandbox payment: ${paid.status} ${JSON.stringify(paid.body)}`);
  return { orderExistsAt, orderIds: placed.body.orders.map((o) => o.id), total: placed.body.total };
}

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function run(mode: 'one node' | 'two nodes + Redis', uri: string, dataDir: string) {
  console.log(`\n${mode}: ${BUYERS} buyers, ${UNITS} units`);
  const dbName = `bench_flash_${mode === 'one node' ? 'one' : 'two'}`;
  const redisServer = mode === 'one node' ? null : await startRedis();
  if (redisServer) cleanups.push(() => redisServer.stop());
  const redis = redisServer ? openRedis(redisServer.url, log, 'bench') : null;
  if (redis) cleanups.push(() => closeRedis(redis));

  const config = loadConfig({ MONGODB_URI: uri, MONGODB_DB: dbName, LOG_LEVEL: 'warn' });
  const db = await connectDatabase(uri, dbName);
  cleanups.push(() => db.close());
  const core = createCoreServices({
    config,
    connection: db.connection,
    bus: createInProcessEventBus(log),
    log,
    redis,
  });
  await Promise.all(db.connection.modelNames().map((m) => db.connection.model(m).init()));
  const { catalog } = await seedDemo(core, { products: 12 });
  const product = catalog.products[0]!;
  const variant = product.variants[0]!;
  const owner = { sku: variant.sku, productId: product.id, sellerId: product.sellerId };
  await core.inventory.setStock(owner, UNITS + OUTSIDE_SALE, null);
  const now = Date.now();
  const sale = await core.flashSales.create(
    { id: 'usr_bench_admin', roles: ['admin'], shopId: null },
    {
      sku: variant.sku,
      salePrice: Math.max(1, Math.floor(variant.price / 2)),
      quantity: UNITS,
      startsAt: new Date(now - 1000),
      endsAt: new Date(now + 3_600_000),
    },
  );

  // Buyers: one real account, cloned (argon2 for 10,000 passwords is not what this measures).
  const t0 = performance.now();
  const template = await core.users.createUser({
    email: `flash-template-${now}@example.com`,
    name: 'Flash buyer',
    password: 'long enough password',
    roles: ['shopper'],
  });
  const users = db.connection.collection('users');
  const doc = await users.findOne({ _id: template.id } as never);
  const ids = Array.from({ length: BUYERS }, (_, i) => `usr_flash_${now}_${i}`);
  for (let i = 0; i < ids.length; i += 1000)
    await users.insertMany(
      ids.slice(i, i + 1000).map((id) => ({ ...doc, _id: id, email: `${id}@example.com` })) as never[],
    );
  const keys = new Keygrip([SECRET]);
  const buyers: Buyer[] = [];
  for (let i = 0; i < ids.length; i += 100)
    buyers.push(
      ...(await Promise.all(
        ids.slice(i, i + 100).map(async (id) => {
          const s = await core.auth.startSession(id);
          return { id, cookie: `sid=${s.token}; sid.sig=${keys.sign(`sid=${s.token}`)}`, csrf: s.csrfToken };
        }),
      )),
    );
  console.log(`  ${BUYERS} sessions prepared in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const urls = [await startServer(uri, dbName, dataDir, redisServer?.url ?? null)];
  if (redisServer) urls.push(await startServer(uri, dbName, dataDir, redisServer.url));
  if ((process.env.BENCH_SESSIONS ?? 'warm') === 'warm') {
    const t1 = performance.now();
    const opens = buyers.map((buyer, i) => ({ buyer, url: urls[i % urls.length]! }));
    await mapPooled(opens, ({ buyer, url }) => pageOpen(url, buyer), 32);
    console.log(
      `  ${BUYERS} buyers opened the page (their sessions read once) in ${((performance.now() - t1) / 1000).toFixed(1)} s`,
    );
  } else console.log('  cold sessions: no buyer loaded a page before the spike');
  // Warm each node (route, session lookup, the sale loaded into its admission store) with one press.
  const warm = await Promise.all(urls.map((u, i) => press(u, buyers[i]!, sale.id)));
  const checkouts: Promise<Awaited<ReturnType<typeof checkOutAndPay>>>[] = [];
  const checkOut = (url: string, buyer: Buyer, r: { answer: string; token?: string }) => {
    if (r.answer === 'won' && r.token) checkouts.push(checkOutAndPay(url, buyer, sale.id, r.token));
  };

  const spikeStart = performance.now();
  warm.forEach((r, i) => checkOut(urls[i]!, buyers[i]!, r));
  const latencies: number[] = [];
  const answers = new Map<string, number>();
  const rest = buyers.slice(urls.length);
  await Promise.all(
    rest.map(
      (buyer, i) =>
        new Promise<void>((resolve, reject) => {
          setTimeout(
            () => {
              const sent = performance.now();
              const url = urls[i % urls.length]!;
              press(url, buyer, sale.id).then((r) => {
                latencies.push(performance.now() - sent);
                checkOut(url, buyer, r);
                const key = r.status === 200 ? r.answer : `${r.status} ${r.answer}`;
                answers.set(key, (answers.get(key) ?? 0) + 1);
                resolve();
              }, reject);
            },
            (i / rest.length) * SPREAD_MS,
          );
        }),
    ),
  );
  const seconds = (performance.now() - spikeStart) / 1000;
  const bought = await Promise.all(checkouts);
  const ordersExistS = (Math.max(...bought.map((b) => b.orderExistsAt)) - spikeStart) / 1000;
  const orderIds = bought.flatMap((b) => b.orderIds);
  await until(
    async () => (await core.orders.getMany(orderIds)).every((o) => o.status === 'paid'),
    300_000,
    'every winner’s order to be paid',
    200,
  );
  const paidS = (performance.now() - spikeStart) / 1000;
  const orders = await core.orders.getMany(orderIds);
  const atSalePrice = orders.filter((o) =>
    o.lines.every((l) => l.flashSaleId === sale.id && l.unitPrice === sale.salePrice),
  ).length;
  for (const w of warm) answers.set(w.answer, (answers.get(w.answer) ?? 0) + 1);
  latencies.sort((a, b) => a - b);
  const winners = answers.get('won') ?? 0;
  const level = (await core.inventory.getLevel(owner)).available;
  const oversold = Math.max(0, winners - UNITS) + Math.max(0, OUTSIDE_SALE - level);
  console.log(`  answers: ${JSON.stringify(Object.fromEntries(answers))}`);
  console.log(
    `  ${rest.length} presses in ${seconds.toFixed(2)} s → ${(rest.length / seconds).toFixed(0)} answers/s; ` +
      `p50 ${pct(latencies, 50).toFixed(0)} ms, p99 ${pct(latencies, 99).toFixed(0)} ms`,
  );
  console.log(
    `  winners ${winners} (must be ${UNITS}); oversold ${oversold} (must be 0); normal stock ${level}`,
  );
  console.log(
    `  every winner's order exists ${ordersExistS.toFixed(2)} s after the spike began, every one paid ` +
      `${paidS.toFixed(2)} s; ${orders.length} orders, ${atSalePrice} at the sale price ` +
      `(${sale.salePrice} fen); normal stock after paying ${level} (must be ${OUTSIDE_SALE})`,
  );
  await cleanUp();
  return { winners, oversold, paidAtSalePrice: atSalePrice === orders.length && orders.length === winners };
}

async function main() {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bench-flash-'));
  const binary = await ensureFerretDbBinary(path.join(ROOT, '.tools'), log);
  const ferret = await startFerretDb({ binary, dataDir, log });
  let failed = false;
  try {
    const wanted = (process.env.BENCH_MODES ?? 'one,two').split(',');
    const modes = (['one node', 'two nodes + Redis'] as const).filter((m) =>
      wanted.includes(m.split(' ')[0]!),
    );
    for (const mode of modes) {
      const result = await run(mode, ferret.uri, dataDir);
      if (result.winners !== UNITS || result.oversold !== 0 || !result.paidAtSalePrice) failed = true;
    }
  } finally {
    await cleanUp();
    await ferret.stop();
    agent.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  }
  if (failed) {
    console.error(
      'FAILED: winners must equal the units, nothing may be oversold, and every winner must have paid at the sale price',
    );
    process.exitCode = 1;
  }
}

await main();
