/**
 * `npm run bench:analytics`: rollup throughput, and dashboard read latency for 30- and 365-day ranges,
 * for a seller and for the platform, on the embedded FerretDB. Synthetic orders (each one created, paid,
 * and one in ten refunded) spread over a year and synthetic interaction pages go through the same
 * contribution and rollup code as live events (`core/src/analytics`), without the HTTP app in front.
 *
 * Size by env: ANALYTICS_BENCH_ORDERS (default 3000), ANALYTICS_BENCH_EVENTS (default 30000),
 * ANALYTICS_BENCH_SHOPS (default 20), ANALYTICS_BENCH_DAYS (default 365: the days the orders fall on). The full size is 1,000,000 orders and 10,000,000 events.
 * The order events go through the order batch runner (`order-batches.ts`: day rollups, customer figures
 * and segment cells) in time order; the last part reads the segment table and the cohort grid of a
 * seller and of the platform.
 */
import cliProgress from 'cli-progress';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  createOrderBatches,
  createDayCache,
  createSegmentReader,
  createLogger,
  createReports,
  createRollupWriter,
  interactionContributions,
  mapPooled,
  type Order,
  type TimelineEntry,
} from '@market/core';
import { connectDatabase, ensureFerretDbBinary, startFerretDb } from '@market/core/db';

const ROOT = path.resolve(import.meta.dirname, '..');
const ORDERS = Number(process.env.ANALYTICS_BENCH_ORDERS ?? 3000);
const EVENTS = Number(process.env.ANALYTICS_BENCH_EVENTS ?? 30_000);
const SHOPS = Number(process.env.ANALYTICS_BENCH_SHOPS ?? 20);
/** Over how many days the orders fall (the 1,000,000 a year is ~2,700 a day). */
const DAYS = Number(process.env.ANALYTICS_BENCH_DAYS ?? 365);
const CONCURRENCY = 8;
const TZ = 'Asia/Shanghai';
const SPAN_MS = DAYS * 86_400_000;
const YEAR_MS = 365 * 86_400_000;
const log = createLogger('warn', 'bench-analytics');

let seed = 42;
const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)]!;

function syntheticOrder(i: number, end: number): { order: Order; timeline: TimelineEntry[] } {
  const at = new Date(end - random() * SPAN_MS);
  const seller = `usr_shop${i % SHOPS}`;
  const qty = 1 + Math.floor(random() * 3);
  const unit = 1000 + Math.floor(random() * 20_000);
  const items = unit * qty;
  const timeline: TimelineEntry[] = [
    {
      version: 1,
      status: 'pending_payment',
      event: 'created',
      actorId: null,
      actorRole: 'buyer',
      note: '',
      amount: null,
      at,
    },
    {
      version: 2,
      status: 'paid',
      event: 'status',
      actorId: null,
      actorRole: 'system',
      note: '',
      amount: null,
      at: new Date(at.getTime() + 60_000),
    },
  ];
  if (i % 10 === 0) {
    timeline.push({
      version: 3,
      status: 'paid',
      event: 'refund',
      actorId: null,
      actorRole: 'support',
      note: '',
      amount: Math.floor(items / 2),
      at: new Date(at.getTime() + 86_400_000),
    });
  }
  const order = {
    id: `ord_${i}`,
    sellerId: seller,
    buyerId: `usr_buyer${Math.floor(random() * ORDERS * 0.4)}`,
    shopName: `Shop ${i % SHOPS}`,
    lines: [
      {
        sku: `S${i % 500}`,
        productId: `prd_${i % 500}`,
        name: `Product ${i % 500}`,
        nameZh: '',
        variantTitle: '',
        image: null,
        unitPrice: unit,
        qty,
        lineTotal: items,
      },
    ],
    delivery: { method: 'courier', address: { city: pick(['上海', '北京', '杭州', '深圳', '成都']) } },
    totals: { items, shipping: 800, discount: 0, points: 0, total: items + 800 },
    coupon: null,
    // A 5 % rate on the goods, as a global commission rule would resolve it.
    commission: [
      {
        sku: `S${i % 500}`,
        productId: `prd_${i % 500}`,
        base: items,
        ruleId: 'com_bench',
        scope: 'global',
        kind: 'percent',
        rateBp: 500,
        fixedFen: 0,
        amount: Math.round(items * 0.05),
      },
    ],
    timeline,
  } as unknown as Order;
  return { order, timeline };
}

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main() {
  console.log(
    `bench:analytics — ${os.cpus().length} cores, ${ORDERS} orders, ${EVENTS} interaction events, ${SHOPS} shops, orders over ${DAYS} days (interactions over a year)`,
  );
  const binary = await ensureFerretDbBinary(path.join(ROOT, '.tools'), log);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bench-analytics-'));
  const ferret = await startFerretDb({ binary, dataDir, log });
  try {
    const db = await connectDatabase(ferret.uri, 'bench_analytics');
    const writer = createRollupWriter({ connection: db.connection });
    const end = Date.now();
    const today = new Date(end + 8 * 3_600_000).toISOString().slice(0, 10);
    const reports = createReports({
      writer,
      generation: async () => 1,
      timeZone: TZ,
      today: () => today,
      cache: createDayCache({ limit: 200_000, maxAgeMs: 15 * 60_000, now: Date.now }),
    });
    const facts = new Map();
    const orders = Array.from({ length: ORDERS }, (_, i) => syntheticOrder(i, end));
    const byId = new Map(orders.map(({ order }) => [order.id, order]));
    const batches = createOrderBatches({
      connection: db.connection,
      writer,
      orders: { get: async (id) => byId.get(id)! },
      factsFor: async () => facts,
      liveGenerations: async () => [1],
      timeZone: TZ,
      onDaysChanged: async () => {},
      log,
    });
    const cache = createDayCache({ limit: 200_000, maxAgeMs: 15 * 60_000, now: Date.now });
    const segments = createSegmentReader({
      batches,
      generation: async () => 1,
      timeZone: TZ,
      today: () => today,
      cache,
    });

    // Orders reach the runner in time order, live and in a rebuild alike: each event noted (one insert per
    // chunk here, one per event live), then applied in batches; the bar moves per chunk of 1,000 events.
    orders.sort((x, y) => x.timeline[0]!.at.getTime() - y.timeline[0]!.at.getTime());
    const notes = orders.flatMap(({ order, timeline }) =>
      timeline.map((e) => ({ orderId: order.id, version: e.version })),
    );
    const bar = new cliProgress.SingleBar(
      { format: '  order events [{bar}] {value}/{total}  {eta}s left' },
      cliProgress.Presets.shades_classic,
    );
    bar.start(notes.length, 0);
    let started = performance.now();
    let noting = 0;
    for (let i = 0; i < notes.length; i += 1000) {
      const chunk = notes.slice(i, i + 1000);
      const t = performance.now();
      await batches.enqueue(chunk);
      noting += performance.now() - t;
      await batches.drainFully();
      bar.increment(chunk.length);
    }
    bar.stop();
    const orderSeconds = (performance.now() - started) / 1000;
    console.log(
      `order events (day rollups + customer figures): ${notes.length} in ${orderSeconds.toFixed(1)} s (noting ${(noting / 1000).toFixed(1)} s) = ${Math.round(notes.length / orderSeconds)} events/s`,
    );

    const PAGE = 500;
    const pages = Array.from({ length: Math.ceil(EVENTS / PAGE) }, (_, p) => {
      const day = end - random() * YEAR_MS;
      return {
        id: `bench:${p}`,
        events: Array.from({ length: Math.min(PAGE, EVENTS - p * PAGE) }, () => ({
          a: `anon_${Math.floor(random() * 5000)}`,
          t: pick(['view', 'view', 'view', 'add_to_cart', 'click', 'search']),
          at: day + random() * 3_600_000,
          i: `prd_${Math.floor(random() * 500)}`,
          q: pick(['手机', 'tea', '茶叶', 'shoes', 'zzz']),
          n: Math.floor(random() * 3),
        })),
      };
    });
    started = performance.now();
    await mapPooled(
      pages,
      async (page) => {
        for (const c of interactionContributions(page.events, TZ, facts))
          await writer.apply(1, `i:${page.id}`, c);
      },
      CONCURRENCY,
    );
    const eventSeconds = (performance.now() - started) / 1000;
    console.log(
      `interaction events: ${EVENTS} in ${eventSeconds.toFixed(1)} s = ${Math.round(EVENTS / eventSeconds)} events/s (pages of ${PAGE})`,
    );

    const back = (n: number) => new Date(Date.parse(today) - n * 86_400_000).toISOString().slice(0, 10);
    for (const [who, scope] of [
      ['seller', 'usr_shop1'],
      ['platform', 'platform'],
    ] as const) {
      for (const days of [30, 365]) {
        const range = { from: back(days - 1), to: today };
        // The first read fills the settled-day cache (what a process pays once per range and 15 minutes).
        let t = performance.now();
        await reports.overview(scope, range, 'previous');
        await reports.ranked(scope, range, 'products', 'revenue', 10);
        const cold = performance.now() - t;
        const times: number[] = [];
        for (let i = 0; i < 100; i++) {
          t = performance.now();
          await reports.overview(scope, range, 'previous');
          await reports.ranked(scope, range, 'products', 'revenue', 10);
          times.push(performance.now() - t);
        }
        times.sort((a, b) => a - b);
        console.log(
          `overview + top products, ${who}, ${days} days (+ comparison period): first ${cold.toFixed(0)} ms, then p50 ${percentile(times, 50).toFixed(0)} ms, p99 ${percentile(times, 99).toFixed(0)} ms`,
        );
      }
    }

    for (const [who, scope] of [
      ['seller', 'usr_shop1'],
      ['platform', 'platform'],
    ] as const) {
      for (const [what, read] of [
        ['segments', () => segments.report(scope)],
        ['cohorts', () => segments.cohorts(scope)],
      ] as const) {
        let t = performance.now();
        await read();
        const cold = performance.now() - t;
        const times: number[] = [];
        for (let i = 0; i < 100; i++) {
          t = performance.now();
          await read();
          times.push(performance.now() - t);
        }
        times.sort((a, b) => a - b);
        console.log(
          `${what}, ${who}: first ${cold.toFixed(0)} ms, then p50 ${percentile(times, 50).toFixed(0)} ms, p99 ${percentile(times, 99).toFixed(0)} ms`,
        );
      }
    }
    const platform = await segments.report('platform');
    console.log(
      `platform: ${platform.customers} customers, ${platform.orders} orders in the segment cells; ${await batches.customers.countDocuments()} customer documents`,
    );
    await db.close();
  } finally {
    await ferret.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
