/**
 * `npm run bench:realtime` — realtime delivery at scale: latency from an event to its arrival at every
 * client, messages per second, and server memory per connection, on one node and on two nodes sharing
 * one Redis.
 *
 *   BENCH_CLIENTS=1000,5000 BENCH_NODES=1,2 npm run bench:realtime
 *
 * Each simulated client is one websocket carrying two namespaces: `/shop` watching one product and
 * `/support` (signed in as support). Clients live in two load-generator processes and are spread over
 * the nodes round-robin. Two phases per run: stock changes of the watched product (PUT over HTTP on node
 * A, so with two nodes half the clients hear it through Redis) and order status changes (sellers accept
 * and cancel paid orders on node A; every support socket hears each). Latency is arrival time minus the
 * event's own timestamp, on one machine's clock. The app nodes are separate processes, as `npm start`.
 */
import cliProgress from 'cli-progress';
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { io } from 'socket.io-client';
import { createCoreServices, createInProcessEventBus, createLogger, loadConfig } from '@market/core';
import { connectDatabase, ensureFerretDbBinary, startFerretDb } from '@market/core/db';
import { DEMO_PASSWORD, seedDemo } from '@market/demo';
import { ApiClient } from '../tests/support/client';
import { checkout, pay, registerUser } from '../tests/support/commerce';
import { spawnApp, type AppProcess } from '../tests/support/process';
import { startRedis } from '../tests/support/redis';

const CLIENTS = (process.env.BENCH_CLIENTS ?? '1000,5000').split(',').map(Number);
const NODES = (process.env.BENCH_NODES ?? '1,2').split(',').map(Number);
const STOCK_EVENTS = Number(process.env.BENCH_STOCK_EVENTS ?? 100);
const ORDERS = Number(process.env.BENCH_ORDERS ?? 25);
const GENERATORS = 2;
const DB = 'bench_realtime';
const ROOT = path.resolve(import.meta.dirname, '..');
const log = createLogger('warn', 'bench');

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function rssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'))!;
  return Number(line.split(/\s+/)[1]) / 1024;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Generator {
  child: ChildProcess;
  request<T>(message: object, reply: string): Promise<T>;
}

function startGenerator(onProgress: (connected: number) => void): Generator {
  const child = fork(path.join(ROOT, 'scripts/bench/realtime-clients.ts'), {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let last = 0;
  child.on('message', (m: { type: string; connected?: number }) => {
    if (m.type === 'progress') {
      onProgress(m.connected! - last);
      last = m.connected!;
    }
  });
  return {
    child,
    request<T>(message: object, reply: string) {
      return new Promise<T>((resolve, reject) => {
        const on = (m: { type: string; error?: string }) => {
          if (m.type === 'error') reject(new Error(m.error));
          if (m.type !== reply) return;
          child.off('message', on);
          resolve(m as T);
        };
        child.on('message', on);
        child.send(message);
      });
    },
  };
}

async function main() {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bench-realtime-'));
  const ferret = await startFerretDb({
    binary: await ensureFerretDbBinary(path.join(ROOT, '.tools'), log),
    dataDir,
    log,
  });
  const redis = await startRedis();
  const secret = randomBytes(32).toString('hex');
  const nodes: AppProcess[] = [];
  try {
    const config = loadConfig({
      MONGODB_URI: ferret.uri,
      MONGODB_DB: DB,
      DATA_DIR: dataDir,
      SEED_DEMO: 'false',
    });
    const database = await connectDatabase(ferret.uri, DB);
    const core = createCoreServices({
      config,
      connection: database.connection,
      bus: createInProcessEventBus(log),
      log,
    });
    const { catalog } = await seedDemo(core, { products: 20 });
    await database.close();
    const product = catalog.products[0]!;
    const variant = product.variants[0]!;
    const sellerEmail = catalog.sellers.find((s) => s.id === product.sellerId)!.email;

    console.log(
      `bench:realtime — ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}; ` +
        `${STOCK_EVENTS} stock events and ${ORDERS} orders (accept + cancel) per run\n`,
    );
    const rows: string[] = [];
    for (const nodeCount of NODES) {
      for (const clients of CLIENTS) {
        for (let i = 0; i < nodeCount; i++)
          nodes.push(
            await spawnApp({
              MONGODB_URI: ferret.uri,
              MONGODB_DB: DB,
              SESSION_SECRET: secret,
              SEED_DEMO: 'false',
              LOG_LEVEL: 'warn',
              DATA_DIR: path.join(dataDir, `node${i}`),
              ...(nodeCount > 1 && { REDIS_URL: redis.url }),
            }),
          );
        const urls = nodes.map((n) => n.url);
        const a = urls[0]!;
        const seller = new ApiClient(a);
        await seller.login(sellerEmail, DEMO_PASSWORD);
        const support = new ApiClient(a);
        await support.login('support@bazaar.test', DEMO_PASSWORD);

        // Paid orders to accept and cancel during the status phase.
        const buyer = await registerUser(a);
        const orderIds: string[] = [];
        for (let i = 0; i < ORDERS; i++) {
          await buyer.post('/api/cart/lines', { sku: variant.sku, qty: 1 });
          const placed = await checkout(buyer);
          if (placed.status !== 201) throw new Error(`checkout: ${JSON.stringify(placed.body)}`);
          await pay(buyer, placed.body);
          orderIds.push(placed.body.orders[0]!.id);
        }

        const baseline = nodes.map((n) => rssMiB(n.child.pid!));
        const bar = new cliProgress.SingleBar(
          {
            format: `  ${nodeCount} node(s), ${clients} clients  [{bar}] {value}/{total} connected`,
            hideCursor: true,
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(clients, 0);
        const generators = Array.from({ length: GENERATORS }, () => startGenerator((n) => bar.increment(n)));
        await Promise.all(
          generators.map((g, i) =>
            g.request(
              {
                type: 'start',
                start: {
                  urls,
                  count: Math.floor(clients / GENERATORS) + (i < clients % GENERATORS ? 1 : 0),
                  cookie: support.cookieHeader(),
                  productId: product.id,
                },
              },
              'ready',
            ),
          ),
        );
        bar.update(clients);
        bar.stop();
        await sleep(1_000);
        const connectedRss = nodes.map((n) => rssMiB(n.child.pid!));
        const perConnKiB =
          ((connectedRss.reduce((s, v) => s + v, 0) - baseline.reduce((s, v) => s + v, 0)) * 1024) / clients;

        // A reference client on node A counts how many messages each client should get.
        const ref = io(`${a}/shop`, {
          transports: ['websocket'],
          extraHeaders: { cookie: support.cookieHeader() },
        });
        const refSupport = ref.io.socket('/support');
        await new Promise((r) => ref.once('connect', () => r(null)));
        await ref.emitWithAck('products:watch', [product.id]);
        let expected = 0;
        ref.on('stock.changed', () => expected++);
        refSupport.on('order.status_changed', () => expected++);

        const phase = async (name: string, publish: () => Promise<void>) => {
          expected = 0;
          const started = Date.now();
          await publish();
          // Let the last messages arrive: wait until the counts stop moving.
          await sleep(2_000);
          const results = await Promise.all(
            generators.map((g) => g.request<{ latencies: number[] }>({ type: 'collect' }, 'latencies')),
          );
          const latencies = results.flatMap((r) => r.latencies).sort((x, y) => x - y);
          const seconds = (Date.now() - started - 2_000) / 1000;
          rows.push(
            `| ${nodeCount} | ${clients} | ${name} | ${expected} | ${latencies.length}/${expected * clients} | ` +
              `${percentile(latencies, 50)} | ${percentile(latencies, 99)} | ${Math.round(latencies.length / seconds)} | ` +
              `${perConnKiB.toFixed(1)} |`,
          );
          console.log(rows.at(-1));
        };

        await phase('stock', async () => {
          for (let i = 0; i < STOCK_EVENTS; i++)
            await seller.put(
              `/api/products/${product.id}/variants/${encodeURIComponent(variant.sku)}/stock`,
              {
                available: 1_000 + i,
              },
            );
        });
        await phase('order status', async () => {
          for (const id of orderIds) {
            await seller.post(`/api/orders/${id}/accept`, {});
            await seller.post(`/api/orders/${id}/cancel`, { reason: 'bench' });
          }
        });

        ref.close();
        await Promise.all(
          generators
            .map((g) => g.request({ type: 'stop' }, 'never').catch(() => undefined))
            .map((p) => Promise.race([p, sleep(500)])),
        );
        generators.forEach((g) => g.child.kill());
        for (const node of nodes.splice(0)) {
          node.child.kill('SIGTERM');
          await node.exited;
        }
      }
    }
    console.log(
      '\n| nodes | clients | phase | events | delivered (all clients) | p50 ms | p99 ms | messages/s | server KiB/conn |',
    );
    console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const row of rows) console.log(row);
  } finally {
    for (const node of nodes) node.child.kill('SIGKILL');
    await redis.stop();
    await ferret.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
