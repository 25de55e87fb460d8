/**
 * `npm run bench:settlement` — the settlement ledger at volume, through the core services:
 *
 *   BENCH_ORDERS=100000 BENCH_SELLERS=1000 npm run bench:settlement
 *
 * 0. preparation (not measured): N completed orders bulk-inserted as copies of one order the real
 *    services made (order document with commission lines, its event stream up to the completion, a
 *    captured payment; `bench/settlement-seed.ts`) — taking each order through checkout and transitions
 *    ran at ~1/s on the shared machine;
 * 1. settle: what each completion sets off for its seller (`settlement.settleOrder`, the fulfilment
 *    effect): the order's settlement step and the seller's credit; entries/s counts the credits;
 * 2. reconcile: the day of those orders (every completion and its credit, payment records, commission);
 * 3. release the credits (the clock moves past the after-sales window) and run the payout batch for all
 *    sellers, then run it again as after a crash: payouts and bank transfers are counted per seller, and
 *    any seller paid twice is a failure;
 * 4. the seller finance page's reads (summary, first page of entries, payouts) as the route makes them:
 *    p50/p99 over 500 sellers' pages.
 *
 * A FerretDB of its own (embedded, SQLite) in a temp folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  createCoreServices,
  createInProcessEventBus,
  createLogger,
  loadConfig,
  marketDay,
} from '@market/core';
import { connectDatabase, ensureFerretDbBinary, startFerretDb } from '@market/core/db';
import { seedCompletedOrders } from './bench/settlement-seed';

const ORDERS = Number(process.env.BENCH_ORDERS ?? 100_000);
const SELLERS = Number(process.env.BENCH_SELLERS ?? 1_000);
const PARALLEL = Number(process.env.BENCH_PARALLEL ?? 16);
const ROOT = path.resolve(import.meta.dirname, '..');
const log = createLogger('warn', 'bench-settlement');
const cleanups: (() => Promise<void> | void)[] = [];

async function inLanes<T>(items: T[], lanes: number, work: (item: T, i: number) => Promise<void>) {
  let next = 0;
  const lane = async () => {
    for (;;) {
      const i = next++;
      if (i >= items.length) return;
      await work(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(lanes, items.length) }, lane));
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

async function main() {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bench-settlement-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const binary = await ensureFerretDbBinary(path.join(ROOT, '.tools'), log);
  const ferret = await startFerretDb({ binary, dataDir, log });
  cleanups.push(() => ferret.stop());
  const config = loadConfig({
    MONGODB_URI: ferret.uri,
    MONGODB_DB: 'bench_settlement',
    LOG_LEVEL: 'warn',
    PAYOUT_MINIMUM_FEN: '100',
    DATA_DIR: dataDir,
  });
  const db = await connectDatabase(ferret.uri, 'bench_settlement');
  cleanups.push(() => db.close());
  let offsetMs = 0;
  const clock = () => new Date(Date.now() + offsetMs);
  const core = createCoreServices({
    config,
    connection: db.connection,
    bus: createInProcessEventBus(log),
    log,
    clock,
  });
  await Promise.all(db.connection.modelNames().map((m) => db.connection.model(m).init()));
  await core.commission.create(
    { id: 'bench', roles: ['admin'] },
    {
      scope: 'global',
      targetId: null,
      kind: 'percent',
      rateBp: 500,
      fixedFen: 0,
      minFen: null,
      maxFen: null,
      activeFrom: null,
      activeTo: null,
      note: 'bench',
    },
  );

  const sellerIds = Array.from({ length: SELLERS }, (_, i) => `bench_seller_${i}`);
  const orderIds = Array.from({ length: ORDERS }, (_, i) => `bench_ord_${i}`);
  console.log(
    `bench:settlement — ${ORDERS} orders, ${SELLERS} sellers, ${PARALLEL} lanes; load ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );

  // Completed orders, bulk-inserted as copies of one order made by the real services (not measured).
  let t = performance.now();
  const { documents } = await seedCompletedOrders(
    core,
    db.connection,
    clock,
    {
      orders: ORDERS,
      sellers: SELLERS,
      priceOf: (i) => 1_000 + ((i * 7919) % 2_000) * 25,
      sellerOf: (i) => sellerIds[i % SELLERS]!,
      orderIdOf: (i) => orderIds[i]!,
    },
    (done) => {
      if (done % 10_000 === 0 || done === ORDERS)
        console.log(`    ${done} orders written (${((performance.now() - t) / 1000).toFixed(0)} s)`);
    },
  );
  console.log(
    `  prepared ${ORDERS} completed orders (${documents} documents) in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );

  // 1. Settle: what each completion sets off for its seller (the fulfilment effect): the credit.
  t = performance.now();
  await inLanes(orderIds, PARALLEL, async (id) => {
    await core.settlement.settleOrder(id);
  });
  const settleS = (performance.now() - t) / 1000;
  const credits = await db.connection
    .collection('settlement_entries')
    .countDocuments({ kind: 'order_credit' });
  console.log(
    `  settle: ${ORDERS} completed orders, ${credits} credits in ${settleS.toFixed(1)} s = ${(credits / settleS).toFixed(0)} entries/s`,
  );
  if (credits !== ORDERS) throw new Error(`expected ${ORDERS} credits, found ${credits}`);

  // 2. Reconcile the day.
  t = performance.now();
  const day = marketDay(clock(), config.settlement.timeZone);
  const result = await core.reconciliation.reconcileDay(day);
  const reconcileS = (performance.now() - t) / 1000;
  console.log(
    `  reconcile ${day}: ${result.orders} orders, ${result.status}, difference ${result.difference} fen, in ${reconcileS.toFixed(1)} s`,
  );
  if (result.status !== 'balanced') throw new Error('the day does not balance');

  // 3. Release and pay every seller; then the batch again, as after a crash.
  offsetMs += config.afterSales.windowMs + 3_600_000;
  t = performance.now();
  let released = 0;
  for (;;) {
    const r = await core.settlement.releaseDue(5_000);
    released += r.released;
    if (!r.released) break;
  }
  console.log(`  released ${released} credits in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  await inLanes(sellerIds, PARALLEL, async (sellerId) => {
    await core.payouts.setAccount(sellerId, {
      type: 'alipay',
      holder: 'Bench',
      number: `${sellerId}@example.com`,
    });
  });
  t = performance.now();
  const run = await core.payouts.runScheduled();
  const payoutS = (performance.now() - t) / 1000;
  const rerun = await core.payouts.runScheduled();
  const payouts = db.connection.collection<{ _id: string; sellerId: string }>('payouts');
  const perSeller = new Map<string, number>();
  for (const p of await payouts.find({}).toArray())
    perSeller.set(p.sellerId, (perSeller.get(p.sellerId) ?? 0) + 1);
  const debits = await db.connection
    .collection('settlement_entries')
    .countDocuments({ kind: 'payout_debit' });
  const transfers = await core.payoutBank.transfersOf(
    [...(await payouts.find({}).toArray())].map((p) => p._id),
  );
  const doubles =
    [...perSeller.values()].filter((n) => n > 1).length +
    Math.max(0, debits - perSeller.size) +
    Math.max(0, transfers - perSeller.size);
  console.log(
    `  payout batch: ${run.paid} sellers paid in ${payoutS.toFixed(1)} s (${run.week}); re-run paid ${rerun.paid} again (found its payouts); ${debits} debits, ${transfers} bank transfers, ${doubles} double payments`,
  );
  if (doubles) throw new Error(`${doubles} double payments`);

  // 4. The seller finance page's reads.
  const times: number[] = [];
  await inLanes(sellerIds.slice(0, 500), 8, async (sellerId) => {
    const start = performance.now();
    await Promise.all([
      core.settlement.balanceOf(sellerId),
      core.payouts.account(sellerId),
      core.settlement.entries(sellerId, { limit: 50 }),
      core.payouts.listForSeller(sellerId),
    ]);
    times.push(performance.now() - start);
  });
  times.sort((a, b) => a - b);
  console.log(
    `  seller finance reads: p50 ${percentile(times, 0.5).toFixed(0)} ms, p99 ${percentile(times, 0.99).toFixed(0)} ms over ${times.length} sellers`,
  );
  console.log(
    `  load at the end: ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
}

try {
  await main();
} finally {
  for (const step of cleanups.reverse()) await step();
}
process.exit(0);
