/**
 * `npm run bench:admin` (its user-search part) — the back office's people search at scale.
 *
 *   BENCH_USERS=1000000 BENCH_SECONDS=10 npm run bench:admin
 *
 * 1. Seeds BENCH_USERS accounts into an embedded FerretDB by bulk insert (`insertMany` of user documents
 *    in batches, all sharing one argon2 hash computed once: hashing a million passwords would measure
 *    argon2, not search). The app's index reads them exactly as it reads accounts made by registration.
 * 2. Measures, in this process, how long the index takes to load from the store and the heap it holds.
 * 3. Starts the app as its own process (as `npm start` does) and times its start-up (the index loads
 *    before it listens), then signs in an admin over HTTP and measures `GET /api/admin/users?q=<prefix>`
 *    p50/p99 with autocannon, and the time to page through every match of a common prefix (limit 100),
 *    checking that no account repeats and none is skipped.
 */
import autocannon from 'autocannon';
import cliProgress from 'cli-progress';
import { hash } from '@node-rs/argon2';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCoreServices, createInProcessEventBus, createLogger, loadConfig } from '@market/core';
import { connectDatabase, ensureFerretDbBinary, startFerretDb } from '@market/core/db';
import { ApiClient } from '../../tests/support/client';
import { freePort } from '../../tests/support/process';

const USERS = Number(process.env.BENCH_USERS ?? 1_000_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROOT = path.resolve(import.meta.dirname, '../..');
const BATCH = 5000;
const log = createLogger('warn', 'bench');

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周'];
const GIVEN = ['伟', '芳', '娜', '秀英', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟'];
const FIRST = [
  'wei',
  'fang',
  'mei',
  'lin',
  'jun',
  'hao',
  'yan',
  'lei',
  'ming',
  'xin',
  'anna',
  'david',
  'emma',
  'li',
];
const LAST = ['wang', 'li', 'zhang', 'liu', 'chen', 'yang', 'huang', 'zhao', 'wu', 'zhou', 'smith', 'lee'];

/** The i-th generated account: half Chinese names, half Latin; emails and phones unique by `i`. */
function account(i: number, passwordHash: string, at: Date) {
  const chinese = i % 2 === 0;
  const first = FIRST[i % FIRST.length]!;
  const last = LAST[Math.floor(i / FIRST.length) % LAST.length]!;
  const name = chinese
    ? `${SURNAMES[i % SURNAMES.length]}${GIVEN[Math.floor(i / SURNAMES.length) % GIVEN.length]}`
    : `${first[0]!.toUpperCase()}${first.slice(1)} ${last[0]!.toUpperCase()}${last.slice(1)}`;
  return {
    _id: `usr_bench_${i.toString(36).padStart(5, '0')}`,
    email: `${first}.${last}${i}@example.com`,
    name,
    phone: `+861${(3 + (i % 7)).toString()}${String(i).padStart(9, '0')}`,
    passwordHash,
    roles: ['shopper'],
    shopId: null,
    disabled: i % 97 === 0,
    blockedReason: null,
    blockedBy: null,
    blockedAt: null,
    passwordChangedAt: null,
    createdAt: at,
    updatedAt: at,
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function waitForHttp(url: string, timeoutMs = 1_800_000): Promise<number> {
  const started = performance.now();
  for (;;) {
    try {
      if ((await fetch(url)).ok) return performance.now() - started;
    } catch {
      // not up yet
    }
    if (performance.now() - started > timeoutMs) throw new Error(`${url} did not answer`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

export async function benchAdminUsers(): Promise<string> {
  const toolsDir = path.join(ROOT, '.tools');
  const binary = await ensureFerretDbBinary(toolsDir, log);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bench-admin-'));
  const ferret = await startFerretDb({ binary, dataDir, log });
  const dbName = 'bench_admin_users';
  const lines: string[] = [];
  const say = (line: string) => {
    console.log(line);
    lines.push(line);
  };
  try {
    const db = await connectDatabase(ferret.uri, dbName);
    const config = loadConfig({ MONGODB_URI: ferret.uri, MONGODB_DB: dbName, LOG_LEVEL: 'warn' });
    const core = createCoreServices({
      config,
      connection: db.connection,
      bus: createInProcessEventBus(log),
      log,
    });
    await Promise.all(db.connection.modelNames().map((m) => db.connection.model(m).init()));

    // 1. Seed.
    const passwordHash = await hash('bench password 2026', {
      memoryCost: 19_456,
      timeCost: 2,
      parallelism: 1,
    });
    const bar = new cliProgress.SingleBar(
      { format: '  seeding users [{bar}] {value}/{total}  {eta}s left' },
      cliProgress.Presets.shades_classic,
    );
    bar.start(USERS, 0);
    const at = new Date();
    const t0 = performance.now();
    const users = db.connection.collection('users');
    for (let i = 0; i < USERS; i += BATCH) {
      const docs = Array.from({ length: Math.min(BATCH, USERS - i) }, (_, k) =>
        account(i + k, passwordHash, at),
      );
      await users.insertMany(docs as never[], { ordered: false });
      bar.update(i + docs.length);
    }
    bar.stop();
    const seedSeconds = (performance.now() - t0) / 1000;
    const admin = await core.users.createUser({
      email: 'bench-admin@example.test',
      name: 'Bench Admin',
      password: 'bench password 2026',
      roles: ['admin'],
    });
    say(`users: ${USERS.toLocaleString('en')} seeded by bulk insert in ${seedSeconds.toFixed(0)} s`);

    // 2. The index in this process: load time and heap.
    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    const t1 = performance.now();
    const loaded = await core.userDirectory.load();
    const loadSeconds = (performance.now() - t1) / 1000;
    global.gc?.();
    const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
    say(
      `index load: ${loaded.toLocaleString('en')} accounts in ${loadSeconds.toFixed(1)} s, ` +
        `heap ${global.gc ? heapMb.toFixed(0) : '?'} MB${global.gc ? '' : ' (run with --expose-gc)'}`,
    );
    await db.close();

    // 3. The app over HTTP.
    const port = await freePort();
    const t2 = performance.now();
    const child = spawn(process.execPath, ['--import', 'tsx', 'web/src/main.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: String(port),
        LOG_LEVEL: 'warn',
        SESSION_SECRET: 'b'.repeat(40),
        PAYMENT_WEBHOOK_SECRET: randomBytes(32).toString('hex'),
        MONGODB_URI: ferret.uri,
        MONGODB_DB: dbName,
        SEED_DEMO: 'false',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const exited = new Promise((r) => child.once('exit', r));
    const url = `http://127.0.0.1:${port}`;
    try {
      await waitForHttp(`${url}/healthz`);
      const startSeconds = (performance.now() - t2) / 1000;
      say(
        `app start-up with ${USERS.toLocaleString('en')} accounts: ${startSeconds.toFixed(1)} s, RSS ${rssMb(child.pid!).toFixed(0)} MB`,
      );

      const client = new ApiClient(url);
      await client.login(admin.email, 'bench password 2026');
      const cookie = client.cookieHeader();
      const prefixes = [
        'wang',
        'li',
        'mei.',
        'emma.smith',
        '王',
        '李芳',
        '138',
        'usr_bench_1',
        'david.zhou1',
        'zhang',
      ];
      let i = 0;
      const result = await autocannon({
        url,
        connections: 8,
        duration: SECONDS,
        headers: { cookie },
        requests: [
          {
            setupRequest: (req) => ({
              ...req,
              path: `/api/admin/users?limit=20&q=${encodeURIComponent(prefixes[i++ % prefixes.length]!)}`,
            }),
          },
        ],
      });
      say(
        `search over HTTP (8 connections, ${SECONDS} s, ${prefixes.length} prefixes): ` +
          `${Math.round(result.requests.average)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, ` +
          `non-2xx ${result.non2xx}, errors ${result.errors}`,
      );

      // Page through every match of a common prefix.
      const prefix = 'wang';
      const seen = new Set<string>();
      const pageTimes: number[] = [];
      let cursor: string | null = null;
      const t3 = performance.now();
      do {
        const started = performance.now();
        const query: string = `/api/admin/users?limit=100&q=${prefix}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
        const res = await fetch(`${url}${query}`, { headers: { cookie } });
        const body = (await res.json()) as { items: { id: string }[]; nextCursor: string | null };
        pageTimes.push(performance.now() - started);
        for (const item of body.items) {
          if (seen.has(item.id)) throw new Error(`paging repeated ${item.id}`);
          seen.add(item.id);
        }
        cursor = body.nextCursor;
      } while (cursor);
      const walkSeconds = (performance.now() - t3) / 1000;
      pageTimes.sort((a, b) => a - b);
      say(
        `paging "${prefix}": ${seen.size.toLocaleString('en')} accounts in ${pageTimes.length} pages of 100, ` +
          `${walkSeconds.toFixed(1)} s (page p50 ${percentile(pageTimes, 50).toFixed(0)} ms, p99 ${percentile(pageTimes, 99).toFixed(0)} ms), no repeats`,
      );
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  } finally {
    await ferret.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return lines.join('\n');
}
