/**
 * `npm run bench:catalog` — catalog read throughput and latency over HTTP, seeding speed, and start-up time.
 *
 *   BENCH_SECONDS=10 BENCH_LARGE=100000 npm run bench:catalog
 *
 * The server runs as its own process (as `npm start` does); this process seeds the data and drives the
 * load with autocannon, so both share the machine's cores the way a real single-node deployment would.
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
import { seedDemo } from '@market/demo';
import { freePort } from '../tests/support/process';

/** NODE_ENV=production requires one; random per run and shared by the run's app processes. */
const WEBHOOK_SECRET = randomBytes(32).toString('hex');

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const LARGE = Number(process.env.BENCH_LARGE ?? 100_000);
const ROOT = path.resolve(import.meta.dirname, '..');
const log = createLogger('warn', 'bench');

interface Row {
  dataset: string;
  endpoint: string;
  connections: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

async function waitForHttp(url: string, timeoutMs = 600_000): Promise<number> {
  const started = performance.now();
  for (;;) {
    try {
      const res = await fetch(url);
      if (res.ok) return performance.now() - started;
    } catch {
      // not up yet
    }
    if (performance.now() - started > timeoutMs) throw new Error(`${url} did not answer`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function startServer(env: Record<string, string>) {
  return freePort().then((port) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'web/src/main.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: String(port),
        LOG_LEVEL: 'warn',
        SESSION_SECRET: 'b'.repeat(40),
        PAYMENT_WEBHOOK_SECRET: WEBHOOK_SECRET,
        ...env,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const exited = new Promise((r) => child.once('exit', r));
    return {
      url: `http://127.0.0.1:${port}`,
      async stop() {
        child.kill('SIGTERM');
        await exited;
      },
    };
  });
}

async function load(url: string, connections: number, paths: string[]): Promise<autocannon.Result> {
  let i = 0;
  return autocannon({
    url,
    connections,
    duration: SECONDS,
    requests: [{ setupRequest: (req) => ({ ...req, path: paths[i++ % paths.length]! }) }],
  });
}

async function measureDataset(name: string, uri: string, products: number, rows: Row[]) {
  const dbName = `bench_${name.replace(/\W/g, '')}`;
  const config = loadConfig({ MONGODB_URI: uri, MONGODB_DB: dbName, LOG_LEVEL: 'warn' });
  const db = await connectDatabase(uri, dbName);
  await db.connection.dropDatabase();
  const core = createCoreServices({
    config,
    connection: db.connection,
    bus: createInProcessEventBus(log),
    log,
  });
  await Promise.all(db.connection.modelNames().map((m) => db.connection.model(m).init()));

  const bar = new cliProgress.SingleBar(
    { format: `  seeding ${name} [{bar}] {value}/{total} products  {eta}s left` },
    cliProgress.Presets.shades_classic,
  );
  bar.start(products, 0);
  const t0 = performance.now();
  const { catalog } = await seedDemo(core, { products, onProgress: (done) => bar.update(done) });
  const seconds = (performance.now() - t0) / 1000;
  bar.stop();
  console.log(
    `  seeded ${products} products in ${seconds.toFixed(1)} s → ${Math.round(products / seconds)} products/s`,
  );

  const server = await startServer({ MONGODB_URI: uri, MONGODB_DB: dbName, SEED_DEMO: 'false' });
  await waitForHttp(`${server.url}/api/auth/session`);
  const ids = catalog.products.map((p) => p.id);
  const categories = catalog.categories.filter((c) => c.parentId === null).map((c) => c.id);
  const listPaths = [
    '/api/products?limit=24',
    ...categories.map((c) => `/api/products?limit=24&category=${c}&sort=popular`),
  ];
  const detailPaths = Array.from({ length: 500 }, (_, k) => `/api/products/${ids[(k * 7919) % ids.length]}`);
  for (const [endpoint, paths] of [
    ['list', listPaths],
    ['detail', detailPaths],
  ] as const) {
    for (const connections of [1, 32]) {
      const r = await load(server.url, connections, paths);
      rows.push({
        dataset: name,
        endpoint,
        connections,
        rps: Math.round(r.requests.average),
        p50: r.latency.p50,
        p99: r.latency.p99,
        errors: r.errors + r.non2xx,
      });
      console.log(
        `  ${name} ${endpoint} c=${connections}: ${Math.round(r.requests.average)} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms`,
      );
    }
  }
  await server.stop();
  await db.connection.dropDatabase();
  await db.close();
  return { seconds };
}

async function startupTimes(binaryDir: string) {
  const results: Record<string, number> = {};
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bench-start-'));
  const toolsCold = mkdtempSync(path.join(os.tmpdir(), 'bench-tools-'));
  try {
    for (const [label, tools, data] of [
      ['cold (FerretDB built, demo data seeded)', toolsCold, dataDir],
      ['warm (FerretDB built before, fresh data, seeded)', binaryDir, `${dataDir}-2`],
      ['restart (existing data)', binaryDir, `${dataDir}-2`],
    ] as const) {
      const t0 = performance.now();
      const server = await startServer({
        TOOLS_DIR: tools,
        DATA_DIR: data,
        MONGODB_URI: '',
        SEED_DEMO: 'true',
      });
      await waitForHttp(`${server.url}/`);
      results[label] = (performance.now() - t0) / 1000;
      console.log(`  start → first page, ${label}: ${results[label]!.toFixed(1)} s`);
      await server.stop();
    }
  } finally {
    for (const d of [dataDir, `${dataDir}-2`, toolsCold]) rmSync(d, { recursive: true, force: true });
  }
  return results;
}

async function main() {
  console.log(
    `bench:catalog — ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${SECONDS} s per run`,
  );
  const toolsDir = path.join(ROOT, '.tools');
  const binary = await ensureFerretDbBinary(toolsDir, log);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bench-catalog-'));
  const ferret = await startFerretDb({ binary, dataDir, log });
  const rows: Row[] = [];
  const seeding: Record<string, number> = {};
  try {
    for (const [name, n] of [
      ['5k demo', 5000],
      [`${LARGE / 1000}k generated`, LARGE],
    ] as const) {
      const { seconds } = await measureDataset(name, ferret.uri, n, rows);
      seeding[name] = n / seconds;
    }
  } finally {
    await ferret.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  const startup = await startupTimes(toolsDir);

  console.log(
    '\n| dataset | endpoint | connections | req/s | p50 ms | p99 ms | errors |\n| --- | --- | ---: | ---: | ---: | ---: | ---: |',
  );
  for (const r of rows)
    console.log(
      `| ${r.dataset} | ${r.endpoint} | ${r.connections} | ${r.rps} | ${r.p50} | ${r.p99} | ${r.errors} |`,
    );
  console.log('\n| seeding | products/s |\n| --- | ---: |');
  for (const [k, v] of Object.entries(seeding)) console.log(`| ${k} | ${Math.round(v)} |`);
  console.log('\n| start-up | seconds to first page |\n| --- | ---: |');
  for (const [k, v] of Object.entries(startup)) console.log(`| ${k} | ${v.toFixed(1)} |`);
}

await main();
