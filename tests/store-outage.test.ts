import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { io as connect } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NAMESPACES } from '@market/realtime/contract';
import { ApiClient } from './support/client';
import { spawnApp, waitFor, type AppProcess } from './support/process';
import { TEST_PASSWORD } from './support/accounts';

/**
 * The embedded FerretDB dies under a running app (`kill -9` of the child): the app notices at once,
 * answers API calls with a fast 503, reports not-ready, restarts the store on the same data and port,
 * and carries on without restarting itself.
 */

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'market-outage-'));
const env = { DATA_DIR: dataDir, SEED_DEMO: 'false', MONGODB_URI: '', SESSION_SECRET: 'o'.repeat(40) };
let app: AppProcess;

interface Probe {
  status: number;
  ms: number;
  retryAfter: string | null;
  body: unknown;
}

async function probe(url: string): Promise<Probe> {
  const started = performance.now();
  const res = await fetch(url);
  const body: unknown = await res.json().catch(() => null);
  return {
    status: res.status,
    ms: performance.now() - started,
    retryAfter: res.headers.get('retry-after'),
    body,
  };
}

const readyz = (): Promise<Probe> => probe(`${app.url}/readyz`);

async function storePid(): Promise<number> {
  const ready = (await readyz()).body as { checks: { store: { embedded: { pid: number } } } };
  return ready.checks.store.embedded.pid;
}

/** Calls an API route over and over until `stop()`, keeping every answer. */
function hammer(pathname: string) {
  const seen: Probe[] = [];
  let running = true;
  const loop = (async () => {
    while (running) seen.push(await probe(`${app.url}${pathname}`));
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return seen;
    },
  };
}

function p99(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))]!;
}

function expectFast503s(answers: Probe[]) {
  const unavailable = answers.filter((a) => a.status === 503);
  expect(unavailable.length).toBeGreaterThan(0);
  // Nothing else but success or a clean 503: no 500, no hang.
  expect(answers.every((a) => a.status === 200 || a.status === 503)).toBe(true);
  for (const a of unavailable) {
    expect(a.retryAfter).toBe('5');
    expect(a.body).toMatchObject({ error: { code: 'service_unavailable' } });
  }
  // Fast = not waiting for the driver's server selection (5 s); generous for a busy two-core machine.
  expect(p99(unavailable.map((a) => a.ms))).toBeLessThan(1000);
}

beforeAll(async () => {
  app = await spawnApp(env);
});

afterEach((ctx) => {
  // The app is a child process: when a test fails, what it logged is the first thing to read.
  if (ctx.task.result?.state === 'fail')
    console.error(`app output (exit ${app?.child.exitCode}):\n${app?.output()}`);
});

afterAll(async () => {
  if (app && app.child.exitCode === null) {
    app.child.kill('SIGTERM');
    await app.exited;
  }
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a node that knows its health', () => {
  it('answers /healthz and /readyz with JSON, never the app shell', async () => {
    const live = await probe(`${app.url}/healthz`);
    expect(live.status).toBe(200);
    expect(live.body).toMatchObject({ status: 'ok' });
    const ready = await readyz();
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({
      status: 'ready',
      checks: { store: { ok: true }, search: { ok: true }, jobs: { ok: true } },
    });
  });

  it('survives kill -9 of its FerretDB: 503 fast meanwhile, not ready, then back with its data', async () => {
    const shopper = new ApiClient(app.url);
    const reg = await shopper.post('/api/auth/register', {
      email: 'survivor@example.com',
      password: TEST_PASSWORD,
      name: 'Survivor',
    });
    expect(reg.status).toBe(201);
    const pid = await storePid();

    const calls = hammer('/api/products?limit=5');
    const killedAt = performance.now();
    process.kill(pid, 'SIGKILL');
    await waitFor(async () => (await readyz()).status === 503, 5_000, '/readyz to report the store down');
    const reportedDownMs = performance.now() - killedAt;
    const down = await readyz();
    expect(down.body).toMatchObject({ status: 'not_ready', checks: { store: { ok: false } } });
    await waitFor(async () => (await readyz()).status === 200, 20_000, '/readyz to report the store up');
    const answers = await calls.stop();

    expect(reportedDownMs).toBeLessThan(5_000);
    expectFast503s(answers);
    expect(app.child.exitCode).toBeNull(); // the app itself never restarted
    expect(await storePid()).not.toBe(pid);
    expect(app.output()).toMatch(/embedded FerretDB exited unexpectedly/);

    // Same data, same session.
    expect((await shopper.get('/api/auth/session')).body).toMatchObject({
      user: { email: 'survivor@example.com' },
    });
    const again = new ApiClient(app.url);
    expect(
      (await again.post('/api/auth/login', { email: 'survivor@example.com', password: TEST_PASSWORD }))
        .status,
    ).toBe(200);
  });

  it('moves the store to a new port when its old one is taken, and keeps the URI file right', async () => {
    const uriFile = path.join(dataDir, 'ferretdb', 'uri');
    const oldUri = readFileSync(uriFile, 'utf8');
    const port = Number(new URL(oldUri).port);
    const pid = await storePid();
    const shopper = new ApiClient(app.url);
    await shopper.login('survivor@example.com', TEST_PASSWORD);
    const calls = hammer('/api/auth/session');
    process.kill(pid, 'SIGKILL');
    // Hold the port so that every restart on it fails: the store stays down for a few backoffs.
    let squatter: Server | undefined;
    await waitFor(
      async () =>
        (squatter = await new Promise<Server | undefined>((resolve) => {
          const s = createServer();
          s.once('error', () => resolve(undefined));
          s.listen(port, '127.0.0.1', () => resolve(s));
        })),
      5_000,
      'the old port to be free',
    );
    try {
      // The squatter can win the port before the node has seen its store's exit.
      await waitFor(async () => (await readyz()).status === 503, 5_000, '/readyz to report the store down');
      // A socket handshake that needs the session store is refused as a passing failure (the
      // storefront's client tries again), not as 401/403 (which it would not).
      const socket = connect(`${app.url}${NAMESPACES.shop}`, {
        transports: ['websocket'],
        forceNew: true,
        extraHeaders: { cookie: shopper.cookieHeader() },
      });
      const refused = await new Promise<{ data?: unknown }>((resolve) =>
        socket.once('connect_error', resolve),
      );
      socket.close();
      expect(refused.data).toEqual({ status: 503 });
      await waitFor(async () => (await readyz()).status === 200, 30_000, 'the store on a new port');
    } finally {
      squatter?.close();
    }
    const answers = await calls.stop();
    expectFast503s(answers);
    expect(answers.filter((a) => a.status === 503).length).toBeGreaterThan(5);
    const newUri = readFileSync(uriFile, 'utf8');
    expect(newUri).not.toBe(oldUri);
    expect((await readyz()).body).toMatchObject({ checks: { store: { embedded: { restarts: 2 } } } });
    const again = new ApiClient(app.url);
    expect(
      (await again.post('/api/auth/login', { email: 'survivor@example.com', password: TEST_PASSWORD }))
        .status,
    ).toBe(200);
  });

  it('answers unknown API paths with a JSON 404 and unknown pages with the shell and a 404', async () => {
    const api = await fetch(`${app.url}/api/no-such-thing`);
    expect(api.status).toBe(404);
    expect(await api.json()).toMatchObject({ error: { code: 'not_found' } });
    const page = await fetch(`${app.url}/no/such/page`);
    expect(page.status).toBe(404);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toContain('<div id="app"');
    for (const known of ['/', '/orders/o_1', '/seller/products/x/photos', '/search']) {
      expect((await fetch(`${app.url}${known}`)).status, known).toBe(200);
    }
    // Product pages render on the server, which knows whether the product exists.
    expect((await fetch(`${app.url}/p/any-product-id`)).status).toBe(404);
    expect((await fetch(`${app.url}/assets/missing-file.js`)).status).toBe(404);
    // A malformed %-escape is a bad request, not a missing page.
    expect((await fetch(`${app.url}/p/%E0%A4%A`)).status).toBe(400);
  });
});
