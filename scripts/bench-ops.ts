/**
 * `npm run bench:ops` — what operations can count on, measured:
 *
 * 1. Store outage (embedded FerretDB killed with `kill -9` under a running app, BENCH_KILLS times): how
 *    long until `/readyz` says 503, how long until it says 200 again, and how fast the API answers while
 *    the store is down (every answer of a client calling `GET /api/products?limit=24` back to back).
 * 2. The metrics middleware's cost on the catalog list: two app processes on one seeded 5k-product
 *    database, one with METRICS_HTTP=false, loaded in turns (off, on, on, off) with autocannon; req/s
 *    and the server's CPU time per request. And the middleware alone, in process (CPU per call).
 *
 *   BENCH_SECONDS=10 BENCH_KILLS=5 npm run bench:ops
 */
import autocannon from 'autocannon';
import cliProgress from 'cli-progress';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCoreServices, createInProcessEventBus, createLogger, loadConfig } from '@market/core';
import { connectDatabase, ensureFerretDbBinary, startFerretDb } from '@market/core/db';
import { seedDemo } from '@market/demo';
import { freePort } from '../tests/support/process';
import { createMetrics, httpMetrics } from '@market/web/ops';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const KILLS = Number(process.env.BENCH_KILLS ?? 5);
const CONNECTIONS = 32;
const ROOT = path.resolve(import.meta.dirname, '..');
const log = createLogger('warn', 'bench');

async function startServer(env: Record<string, string>) {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'web/src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'fatal',
      SESSION_SECRET: 'b'.repeat(40),
      SEED_DEMO: 'false',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise((r) => child.once('exit', r));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 300_000;
  while (
    !(await fetch(`${url}/readyz`).then(
      (r) => r.ok,
      () => false,
    ))
  ) {
    if (Date.now() > deadline) throw new Error('server did not become ready');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    pid: child.pid!,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** CPU seconds (user + system) a process has used, from /proc: stable even when the machine is busy. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? NaN;
};

async function readyStatus(url: string): Promise<{ status: number; pid: number | null }> {
  const res = await fetch(`${url}/readyz`);
  const body = (await res.json()) as { checks: { store: { embedded?: { pid: number | null } } } };
  return { status: res.status, pid: body.checks.store.embedded?.pid ?? null };
}

async function measureOutages() {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bench-ops-'));
  const server = await startServer({ DATA_DIR: dataDir, MONGODB_URI: '' });
  const down: number[] = [];
  const up: number[] = [];
  const answers: number[] = [];
  let errors = 0;
  const bar = new cliProgress.SingleBar(
    { format: '  kill -9 of FerretDB [{bar}] {value}/{total}' },
    cliProgress.Presets.shades_classic,
  );
  bar.start(KILLS, 0);
  try {
    for (let k = 0; k < KILLS; k++) {
      const { pid } = await readyStatus(server.url);
      const killedAt = performance.now();
      process.kill(pid!, 'SIGKILL');
      // A client calling the API back to back for the whole outage.
      let outage = true;
      const caller = (async () => {
        while (outage) {
          const t = performance.now();
          const res = await fetch(`${server.url}/api/products?limit=24`);
          await res.arrayBuffer();
          if (!outage) break;
          if (res.status === 503) answers.push(performance.now() - t);
          else if (res.status !== 200) errors++; // 200: the call beat the kill, or the store is back
        }
      })();
      let sawDown = false;
      for (;;) {
        const { status } = await readyStatus(server.url);
        const at = performance.now() - killedAt;
        if (!sawDown && status === 503) {
          down.push(at);
          sawDown = true;
        } else if (sawDown && status === 200) {
          up.push(at);
          break;
        }
        if (at > 60_000) throw new Error('the store did not come back within 60 s');
        await new Promise((r) => setTimeout(r, 5));
      }
      outage = false;
      await caller;
      bar.update(k + 1);
      await new Promise((r) => setTimeout(r, 500)); // let the restarted store settle before the next kill
    }
  } finally {
    bar.stop();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return { down, up, answers, errors };
}

async function measureMetricsOverhead() {
  const binary = await ensureFerretDbBinary(path.join(ROOT, '.tools'), log);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bench-ops-metrics-'));
  const ferret = await startFerretDb({ binary, dataDir, log });
  const dbName = 'bench_ops';
  const db = await connectDatabase(ferret.uri, dbName);
  try {
    await db.connection.dropDatabase();
    const config = loadConfig({ MONGODB_URI: ferret.uri, MONGODB_DB: dbName, LOG_LEVEL: 'warn' });
    const core = createCoreServices({
      config,
      connection: db.connection,
      bus: createInProcessEventBus(log),
      log,
    });
    await Promise.all(db.connection.modelNames().map((m) => db.connection.model(m).init()));
    console.log('  seeding the 5k demo catalog…');
    const { catalog } = await seedDemo(core, { products: 5000 });
    const departments = catalog.categories.filter((c) => c.parentId === null).map((c) => c.id);
    const paths = [
      '/api/products?limit=24',
      ...departments.map((c) => `/api/products?limit=24&category=${c}&sort=popular`),
    ];
    const env = { MONGODB_URI: ferret.uri, MONGODB_DB: dbName, DATA_DIR: dataDir, RUN_WORKERS: 'false' };
    const servers = {
      on: await startServer({ ...env, METRICS_HTTP: 'true' }),
      off: await startServer({ ...env, METRICS_HTTP: 'false' }),
    };
    const results: Record<'on' | 'off', Array<autocannon.Result & { cpuMsPerRequest: number }>> = {
      on: [],
      off: [],
    };
    const load = (url: string, duration: number) => {
      let i = 0;
      return autocannon({
        url,
        connections: CONNECTIONS,
        duration,
        requests: [{ setupRequest: (req) => ({ ...req, path: paths[i++ % paths.length]! }) }],
      });
    };
    try {
      // Warm-up, not counted: JIT, and each node's start-up work (search catch-up, recommender load).
      for (const server of Object.values(servers)) await load(server.url, SECONDS);
      // ABBA order, so that a drift in the machine's load over the run weighs on both alike.
      for (const turn of ['off', 'on', 'on', 'off'] as const) {
        const cpuBefore = cpuSeconds(servers[turn].pid);
        const r = await load(servers[turn].url, SECONDS);
        const cpuMsPerRequest = ((cpuSeconds(servers[turn].pid) - cpuBefore) * 1000) / r.requests.total;
        results[turn].push({ ...r, cpuMsPerRequest });
        console.log(
          `  metrics ${turn}: ${Math.round(r.requests.average)} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, ${(cpuMsPerRequest * 1000).toFixed(0)} µs CPU/request, ${r.errors + r.non2xx} errors`,
        );
      }
    } finally {
      await servers.on.stop();
      await servers.off.stop();
    }
    return results;
  } finally {
    await db.close();
    await ferret.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * The middleware alone, in this process: CPU time per request of timing it and observing the histogram,
 * over many calls with a context like a routed catalog request. Unlike req/s on a shared two-core
 * machine, CPU time does not move with what else is running.
 */
async function measureMiddlewareAlone(calls = 200_000): Promise<number> {
  const metrics = createMetrics();
  const middleware = httpMetrics(metrics);
  const routes = ['/api/products', '/api/products/:id', '/api/search', '/api/cart'];
  const next = () => Promise.resolve();
  const ctxFor = (i: number) =>
    ({
      method: 'GET',
      path: '/api/products',
      status: 200,
      _matchedRoute: routes[i % routes.length],
    }) as never;
  for (let i = 0; i < 20_000; i++) await middleware(ctxFor(i), next); // warm-up
  const baseline = process.cpuUsage();
  for (let i = 0; i < calls; i++) await next();
  const bare = process.cpuUsage(baseline);
  const start = process.cpuUsage();
  for (let i = 0; i < calls; i++) await middleware(ctxFor(i), next);
  const used = process.cpuUsage(start);
  return (used.user + used.system - bare.user - bare.system) / calls;
}

async function main() {
  console.log(
    `bench:ops — ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
  );
  const alone = await measureMiddlewareAlone();
  console.log(`  metrics middleware alone: ${alone.toFixed(2)} µs CPU per request`);
  const outage = await measureOutages();
  const overhead = await measureMetricsOverhead();

  const f = (ms: number) => ms.toFixed(0);
  console.log(`\n| store outage (${KILLS} × kill -9 of FerretDB) | p50 ms | max ms |\n| --- | ---: | ---: |`);
  console.log(`| kill → /readyz 503 | ${f(quantile(outage.down, 0.5))} | ${f(Math.max(...outage.down))} |`);
  console.log(`| kill → /readyz 200 again | ${f(quantile(outage.up, 0.5))} | ${f(Math.max(...outage.up))} |`);
  console.log(
    `\n| API while the store is down | answers | p50 ms | p99 ms | max ms | errors (not 200/503) |\n| --- | ---: | ---: | ---: | ---: | ---: |`,
  );
  const a = outage.answers;
  console.log(
    `| GET /api/products?limit=24 → 503 | ${a.length} | ${quantile(a, 0.5).toFixed(1)} | ${quantile(a, 0.99).toFixed(1)} | ${Math.max(...a).toFixed(1)} | ${outage.errors} |`,
  );
  type Run = autocannon.Result & { cpuMsPerRequest: number };
  const avg = (rs: Run[]) => rs.reduce((s, r) => s + r.requests.average, 0) / rs.length;
  const cpu = (rs: Run[]) => (rs.reduce((s, r) => s + r.cpuMsPerRequest, 0) / rs.length) * 1000;
  const p99 = (rs: Run[]) => Math.max(...rs.map((r) => r.latency.p99));
  const [on, off] = [avg(overhead.on), avg(overhead.off)];
  const [cpuOn, cpuOff] = [cpu(overhead.on), cpu(overhead.off)];
  console.log(
    `\n| catalog list, c=${CONNECTIONS}, 2 × ${SECONDS} s each | req/s | p99 ms | server CPU µs/request |\n| --- | ---: | ---: | ---: |`,
  );
  console.log(`| metrics middleware on | ${Math.round(on)} | ${p99(overhead.on)} | ${cpuOn.toFixed(0)} |`);
  console.log(
    `| metrics middleware off (METRICS_HTTP=false) | ${Math.round(off)} | ${p99(overhead.off)} | ${cpuOff.toFixed(0)} |`,
  );
  console.log(
    `| overhead | ${(((off - on) / off) * 100).toFixed(1)} % | | ${(((cpuOn - cpuOff) / cpuOff) * 100).toFixed(1)} % |`,
  );
  console.log(
    `\n| the middleware alone (in process, 200k calls) | CPU µs/request | share of a catalog list request |\n| --- | ---: | ---: |`,
  );
  console.log(
    `| time + observe the histogram | ${alone.toFixed(2)} | ${((alone / cpuOff) * 100).toFixed(2)} % |`,
  );
}

await main();
