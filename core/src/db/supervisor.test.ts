import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../logger';
import { ensureFerretDbBinary } from './ferretdb';
import { createStoreHealth } from './store-health';
import { superviseFerretDb, type EmbeddedStoreState, type SupervisedFerretDb } from './supervisor';

const log = createLogger(process.env.LOG_LEVEL ?? 'silent', 'supervisor-test');
const dirs: string[] = [];
const running: SupervisedFerretDb[] = [];

function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'market-supervisor-'));
  dirs.push(dir);
  return dir;
}

async function supervise(opts: Partial<Parameters<typeof superviseFerretDb>[0]> = {}) {
  const binary = await ensureFerretDbBinary(path.resolve('.tools'), log);
  const store = await superviseFerretDb({ binary, dataDir: tempDir(), log, initialBackoffMs: 50, ...opts });
  running.push(store);
  return store;
}

function nextState(store: SupervisedFerretDb, wanted: EmbeddedStoreState, timeoutMs = 20_000) {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${wanted} within ${timeoutMs} ms`)), timeoutMs);
    const off = store.onChange((s) => {
      if (s.state !== wanted) return;
      clearTimeout(timer);
      off();
      resolve();
    });
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
});
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('embedded FerretDB supervisor', () => {
  it('restarts a killed FerretDB on the same port and data, and the driver reconnects by itself', async () => {
    const store = await supervise();
    const { uri, pid } = store.status();
    const connection = await mongoose
      .createConnection(uri, { dbName: 'kept', bufferCommands: false, serverSelectionTimeoutMS: 5000 })
      .asPromise();
    const health = createStoreHealth({ connection, log, supervisor: store });
    try {
      await connection.collection('things').insertOne({ _id: 'a' as never, n: 1 });
      const down = nextState(store, 'down');
      const up = nextState(store, 'up');
      process.kill(pid!, 'SIGKILL');
      await down;
      expect(health.isUp()).toBe(false);
      expect(health.status().reason).toMatch(/embedded FerretDB is (down|restarting)/);
      await up;
      const after = store.status();
      expect(after.uri).toBe(uri);
      expect(after.restarts).toBe(1);
      expect(after.pid).not.toBe(pid);
      expect(after.lastExit?.code).toBe('SIGKILL');
      // Readiness follows once a ping went through the new process.
      await new Promise<void>((resolve) => {
        if (health.isUp()) return resolve();
        const off = health.onChange((isUp) => isUp && (off(), resolve()));
      });
      expect(await connection.collection('things').findOne({ _id: 'a' as never })).toMatchObject({ n: 1 });
    } finally {
      health.close();
      await connection.close();
    }
  });

  it('moves to a free port when the old one stays taken, and says so', async () => {
    let told!: (uri: string) => void;
    const newUri = new Promise<string>((resolve) => (told = resolve));
    const store = await supervise({ portAttempts: 2, onUriChange: (u) => told(u) });
    const { uri, pid } = store.status();
    const port = Number(new URL(uri).port);
    const down = nextState(store, 'down');
    process.kill(pid!, 'SIGKILL');
    await down;
    // Take the port before the restart does (its first attempt waits 50 ms).
    let squatter: Server | undefined;
    for (let i = 0; i < 50 && !squatter; i++) {
      squatter = await new Promise<Server | undefined>((resolve) => {
        const s = createServer();
        s.once('error', () => resolve(undefined));
        s.listen(port, '127.0.0.1', () => resolve(s));
      });
      if (!squatter) await new Promise((r) => setTimeout(r, 5));
    }
    expect(squatter).toBeDefined();
    try {
      await nextState(store, 'up');
      expect(store.uri).not.toBe(uri);
      expect(await newUri).toBe(store.uri);
    } finally {
      squatter!.close();
    }
  });

  it('does not restart a FerretDB it was asked to stop, and leaves no process behind', async () => {
    const store = await supervise();
    const { pid } = store.status();
    await store.stop();
    expect(store.status().state).toBe('stopped');
    expect(isAlive(pid!)).toBe(false);
    await new Promise((r) => setTimeout(r, 300)); // past the first backoff: nothing must start
    expect(store.status()).toMatchObject({ state: 'stopped', restarts: 0 });
  });
});
