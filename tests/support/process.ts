import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import path from 'node:path';
import { inject } from 'vitest';
import type { Database } from '@market/core/db';
import { UNLIMITED_REQUESTS } from './limits';
import { scaled } from './time';

export const ROOT = path.resolve(import.meta.dirname, '../..');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface AppProcess {
  child: ChildProcess;
  url: string;
  output: () => string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
}

/**
 * Runs `web/src/main.ts` (what `npm start` runs) as a separate process and waits until it serves HTTP.
 * `port`: listen there (a node replaced on the address its clients know) instead of a free port.
 */
export async function spawnApp(
  env: Record<string, string>,
  startMs = 120_000,
  port?: number,
): Promise<AppProcess> {
  const timeoutMs = scaled(startMs);
  port ??= await freePort();
  // `node --import tsx` keeps the app a single process, so a signal reaches it and nothing else.
  const child = spawn(process.execPath, ['--import', 'tsx', 'web/src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'info',
      ...UNLIMITED_REQUESTS,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`app exited early (${child.exitCode}):\n${out}`);
    try {
      const res = await fetch(`${url}/api/auth/session`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`app did not start within ${timeoutMs} ms:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { child, url, output: () => out, exited };
}

/**
 * The environment of an app process that a test kills and starts again: its own database (named
 * `<dbPrefix>_<random>`) and data folder, both kept across the restart, no demo data, and job leases short
 * enough that a dead process's jobs are taken over soon after the new process is up (starting it takes
 * about as long), yet long enough that a live process on a busy machine does not miss a heartbeat.
 */
export function restartableEnv(dataDir: string, dbPrefix: string) {
  return {
    DATA_DIR: dataDir,
    MONGODB_URI: inject('mongoUri'),
    MONGODB_DB: `${dbPrefix}_${randomBytes(4).toString('hex')}`,
    SEED_DEMO: 'false',
    SESSION_SECRET: 's'.repeat(40),
    JOB_LEASE_SECONDS: String(Math.round(scaled(15_000) / 1000)),
  };
}

/** The one category (`cat_misc`) that a spawned app without demo data needs before products can be listed. */
export async function insertMiscCategory(db: Database): Promise<void> {
  await db.connection.collection('categories').insertOne({
    _id: 'cat_misc' as never,
    slug: 'misc',
    name: 'Misc',
    nameZh: '杂货',
    parentId: null,
    ancestors: [],
    depth: 0,
    position: 0,
  });
}

/**
 * Calls `sample` again and again, `pauseMs` apart, until `stop()`, which resolves with every sample folded
 * by `keep` from `initial` (e.g. `Math.min` and `Infinity` for the lowest value seen while a race ran).
 */
export function sampleUntilStopped(
  sample: () => Promise<number>,
  keep: (kept: number, next: number) => number,
  initial: number,
  pauseMs: number,
): { stop: () => Promise<number> } {
  let kept = initial;
  let running = true;
  const loop = (async () => {
    while (running) {
      kept = keep(kept, await sample());
      await new Promise((r) => setTimeout(r, pauseMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return kept;
    },
  };
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Polls `probe` until it returns something truthy. `timeoutMs` (stretched by TEST_TIME_SCALE) is how long
 * "not yet" may last before it counts as "never".
 */
export async function waitFor<T>(
  probe: () => Promise<T | undefined | null | false>,
  timeoutMs = 30_000,
  label = 'condition',
): Promise<T> {
  const deadline = Date.now() + scaled(timeoutMs);
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${scaled(timeoutMs)} ms waiting for ${label}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Waits for work that advances a counter (jobs completed, rows imported) until `probe` returns a result.
 * It fails only when the counter has not moved for `stallMs` (stretched by TEST_TIME_SCALE): a busy
 * machine may take as long as it needs, a stuck one is caught. The message names the last count.
 */
export async function waitWhileProgressing<T>(
  probe: () => Promise<{ progress: number; result?: T | null }>,
  label: string,
  stallMs = 30_000,
): Promise<T> {
  let last = -Infinity;
  let movedAt = Date.now();
  for (;;) {
    const { progress, result } = await probe();
    if (result !== undefined && result !== null) return result;
    if (progress > last) {
      last = progress;
      movedAt = Date.now();
    } else if (Date.now() - movedAt > scaled(stallMs)) {
      throw new Error(`${label}: no progress for ${scaled(stallMs)} ms (stuck at ${last})`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
