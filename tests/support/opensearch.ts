/**
 * OpenSearch as the Elasticsearch adapter's test engine: build (Maven + javac, cached), start a single
 * node in its own JVM, restart it on the same data, and put an Elasticsearch-compatible HTTP shim in
 * front of it. Used by `scripts/opensearch.ts` (`npm run search:opensearch`), the lifecycle tests,
 * `npm run eval:search -- --opensearch` and `npm run bench:search`. See search/README.md.
 */
import { spawn, spawnSync, type ChildProcessByStdio } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Category, Product } from '@market/core';
import type { DemoCatalog } from '@market/demo';
import { type SearchDocument, toSearchDocument } from '@market/search';
import { freePort, ROOT } from './process';

export const OPENSEARCH_VERSION = '2.19.6';
const SOURCE_DIR = path.join(ROOT, 'search', 'opensearch');
const TOOLS_DIR = path.join(ROOT, '.tools', 'opensearch');
const MAIN_CLASS = 'market.search.opensearch.Launcher';

type Say = (message: string) => void;
const quiet: Say = () => undefined;

export class OpenSearchError extends Error {
  override name = 'OpenSearchError';
}

function fingerprint(): string {
  const h = createHash('sha256');
  for (const f of ['pom.xml', 'Launcher.java']) h.update(readFileSync(path.join(SOURCE_DIR, f)));
  return h.digest('hex').slice(0, 12);
}

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve()
        : reject(
            new OpenSearchError(`${cmd} ${args.join(' ')} failed (exit ${code}):\n${output.slice(-4000)}`),
          ),
    );
  });
}

function requireTool(cmd: string, args: string[], hint: string): void {
  const probe = spawnSync(cmd, args, { encoding: 'utf8' });
  if (probe.error || probe.status !== 0)
    throw new OpenSearchError(`The OpenSearch test engine needs \`${cmd}\`, which was not found. ${hint}`);
}

/**
 * The classpath of the test engine: OpenSearch's jars copied from Maven Central by
 * `search/opensearch/pom.xml` and the compiled launcher, under `.tools/opensearch/<hash of both>/`. Built
 * once (about 10 s with a warm ~/.m2, a minute from an empty one) and again only when either file changes.
 */
export async function ensureOpenSearch(say: Say = quiet): Promise<string> {
  const id = fingerprint();
  const dir = path.join(TOOLS_DIR, id);
  const classpath = `${path.join(dir, 'lib', '*')}${path.delimiter}${path.join(dir, 'classes')}`;
  if (existsSync(path.join(dir, 'ready'))) return classpath;

  requireTool('java', ['-version'], 'Install a Java 17 JDK (`apt-get install openjdk-17-jdk-headless`).');
  requireTool('javac', ['-version'], 'Install a Java 17 JDK (`apt-get install openjdk-17-jdk-headless`).');
  requireTool('mvn', ['-v'], 'Install Maven 3.8+ (`apt-get install maven`).');
  const started = Date.now();
  say(`building the OpenSearch ${OPENSEARCH_VERSION} test engine into ${path.relative(ROOT, dir)} …`);
  // Build beside the final folder and rename, so a build that dies half-way is never taken as done.
  const staging = `${dir}.tmp-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  try {
    await run('mvn', [
      '-q',
      '-B',
      '-f',
      path.join(SOURCE_DIR, 'pom.xml'),
      `-Dlib.dir=${path.join(staging, 'lib')}`,
      'dependency:copy-dependencies',
    ]);
    await run('javac', [
      '--release',
      '17',
      '-d',
      path.join(staging, 'classes'),
      '-cp',
      path.join(staging, 'lib', '*'),
      path.join(SOURCE_DIR, 'Launcher.java'),
    ]);
    writeFileSync(path.join(staging, 'ready'), `${OPENSEARCH_VERSION}\n`);
    rmSync(dir, { recursive: true, force: true });
    renameSync(staging, dir);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  // Earlier builds (another pom or launcher) are dead weight.
  for (const entry of readdirSync(TOOLS_DIR))
    if (entry !== id && !entry.includes('.tmp-')) rmSync(path.join(TOOLS_DIR, entry), { recursive: true });
  say(`OpenSearch test engine built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return classpath;
}

export interface OpenSearchNode {
  /** OpenSearch's own HTTP address (plain OpenSearch; Elasticsearch clients go through the shim). */
  url: string;
  port: number;
  pid: number;
  /** The node's home; its data survives a restart when the caller chose it. */
  home: string | undefined;
  /** Resident memory of the JVM, from /proc (null where there is none). */
  rssBytes(): number | null;
  /** SIGTERM: the node flushes and closes; resolves when the JVM has exited. */
  stop(): Promise<void>;
  /** SIGKILL: a crash, nothing flushed beyond what was acknowledged. */
  kill(): Promise<void>;
  exited: Promise<number | null>;
  /** The exit code once the JVM has exited (null when killed by a signal), undefined while it runs. */
  exitCode(): number | null | undefined;
}

export interface OpenSearchNodeOptions {
  /** HTTP port on 127.0.0.1; a free one by default. Pass the old port to restart in place. */
  port?: number;
  /** Keep the node's data here (to restart on it); a fresh temporary home, deleted at stop, by default. */
  home?: string;
  /** JVM heap, fixed (-Xms = -Xmx). */
  heap?: string;
  /** Where the node's log lines go (stderr of this process by default when `verbose`). */
  say?: Say;
  timeoutMs?: number;
}

/** Waits until `url` answers cluster health yellow or green (every index's primaries allocated). */
export async function waitForHealth(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${url}/_cluster/health?wait_for_status=yellow&timeout=5s`);
      const body = (await res.json()) as { status?: string };
      if (res.ok && (body.status === 'green' || body.status === 'yellow')) return;
      last = `${res.status} ${JSON.stringify(body)}`;
    } catch (err) {
      last = String(err);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new OpenSearchError(`OpenSearch at ${url} is not healthy after ${timeoutMs} ms: ${last}`);
}

/**
 * Starts one node (`search/opensearch/Launcher.java`) and resolves once it answers healthy. The JVM
 * exits with this process: its stdin is a pipe from us, and the launcher stops when that closes.
 */
export async function startOpenSearchNode(options: OpenSearchNodeOptions = {}): Promise<OpenSearchNode> {
  const classpath = await ensureOpenSearch(options.say);
  const port = options.port ?? (await freePort());
  const heap = options.heap ?? process.env.OPENSEARCH_HEAP ?? '1g';
  const args = [
    `-Xms${heap}`,
    `-Xmx${heap}`,
    '-XX:+UseG1GC',
    '-Djava.awt.headless=true',
    '-Dfile.encoding=UTF-8',
    '-Dlog4j2.disable.jmx=true',
    '-Dlog4j.shutdownHookEnabled=false',
    '-cp',
    classpath,
    MAIN_CLASS,
    '--port',
    String(port),
    '--exit-with-stdin',
    ...(options.home ? ['--home', options.home] : []),
  ];
  const child: ChildProcessByStdio<Writable, Readable, Readable> = spawn('java', args, {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let output = '';
  const keep = (line: string) => {
    output = (output + line + '\n').slice(-8000);
    options.say?.(line);
  };
  createInterface({ input: child.stderr }).on('line', keep);
  const lines = createInterface({ input: child.stdout });

  // OPENSEARCH_START_TIMEOUT_MS: a JVM on two cores shared with other suites can take minutes to start.
  const timeoutMs = options.timeoutMs ?? (Number(process.env.OPENSEARCH_START_TIMEOUT_MS) || 120_000);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new OpenSearchError(`OpenSearch did not start within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    lines.on('line', (line) => {
      const ready = /^opensearch ready (http:\/\/\S+)/.exec(line);
      if (ready) {
        clearTimeout(timer);
        resolve(ready[1]!);
      } else keep(line);
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new OpenSearchError(`OpenSearch exited before it was ready (exit ${code}):\n${output}`));
    });
  });
  await waitForHealth(url);

  const signal = async (sig: NodeJS.Signals, graceMs: number) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill(sig);
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };
  return {
    url,
    port,
    pid: child.pid!,
    home: options.home,
    rssBytes() {
      try {
        const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
        const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
        return kb ? Number(kb) * 1024 : null;
      } catch {
        return null;
      }
    },
    stop: () => signal('SIGTERM', 40_000),
    kill: () => signal('SIGKILL', 10_000),
    exited,
    exitCode: () => (child.exitCode === null && child.signalCode === null ? undefined : child.exitCode),
  };
}

/**
 * `application/vnd.elasticsearch+json; compatible-with=8` → `application/json` (and `+x-ndjson` →
 * `application/x-ndjson`): OpenSearch answers 406 to Elasticsearch's versioned media types.
 */
export function plainMediaTypes(value: string): string {
  return value.replace(
    /application\/vnd\.elasticsearch\+([\w.-]+)(\s*;\s*compatible-with\s*=\s*\d+)?/gi,
    'application/$1',
  );
}

export interface ElasticsearchShim {
  /** Where an Elasticsearch client connects (ELASTICSEARCH_URL). */
  url: string;
  close(): Promise<void>;
}

/**
 * A small HTTP proxy that makes OpenSearch acceptable to the official Elasticsearch client without
 * changing the client: requests lose the versioned vendor media types, responses gain
 * `X-Elastic-Product: Elasticsearch` (the client refuses a server without it). Bodies pass through
 * untouched and streamed. When OpenSearch is down, the client's connection is dropped, which is what it
 * would see from a real cluster that went away.
 */
export async function startElasticsearchShim(options: {
  upstream: string;
  port?: number;
}): Promise<ElasticsearchShim> {
  const upstream = new URL(options.upstream);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const server = http.createServer((req, res) => {
    const headers: IncomingHttpHeaders = { ...req.headers, host: upstream.host };
    for (const name of ['content-type', 'accept'] as const) {
      const value = headers[name];
      if (typeof value === 'string') headers[name] = plainMediaTypes(value);
    }
    const forward = http.request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers,
        agent,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, {
          ...answer.headers,
          'x-elastic-product': 'Elasticsearch',
        });
        answer.pipe(res);
        answer.on('error', () => res.destroy());
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
    req.on('error', () => forward.destroy());
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}

export interface OpenSearchForTests {
  /** The shim's address: what ELASTICSEARCH_URL is set to. Stays the same across restarts. */
  url: string;
  /** The running node (a new one after `start()`). */
  readonly node: OpenSearchNode;
  /** SIGKILL: the node dies with whatever it had acknowledged on disk. */
  crash(): Promise<void>;
  /** SIGTERM: the node flushes and closes. */
  stop(): Promise<void>;
  /** Starts the node again on the same data and port (needs `persistent: true`). */
  start(): Promise<void>;
  /** Stops the node and the shim and deletes the node's data. */
  close(): Promise<void>;
}

/** A node and its shim, ready for the Elasticsearch client. */
export async function startOpenSearch(
  options: { persistent?: boolean; heap?: string; shimPort?: number; say?: Say } = {},
): Promise<OpenSearchForTests> {
  const home = options.persistent ? mkdtempSync(path.join(os.tmpdir(), 'opensearch-node-')) : undefined;
  const nodeOptions = { home, heap: options.heap, say: options.say };
  let node = await startOpenSearchNode(nodeOptions);
  const shim = await startElasticsearchShim({ upstream: node.url, port: options.shimPort });
  return {
    url: shim.url,
    get node() {
      return node;
    },
    crash: () => node.kill(),
    stop: () => node.stop(),
    async start() {
      if (!home)
        throw new OpenSearchError('a node restarts on its data only when started with persistent: true');
      if (node.exitCode() === undefined) throw new OpenSearchError('the node is still running');
      node = await startOpenSearchNode({ ...nodeOptions, port: node.port });
    },
    async close() {
      await shim.close();
      await node.stop();
      if (home) rmSync(home, { recursive: true, force: true });
    },
  };
}

/**
 * The search documents of a generated demo catalog, as the indexer would build them (`toSearchDocument`
 * with the category path and shop name), without a database: for the engine tests and benchmarks.
 */
export function demoSearchDocuments(catalog: DemoCatalog): SearchDocument[] {
  const byId = new Map(catalog.categories.map((c) => [c.id, c]));
  const pathOf = (id: string): Category[] => {
    const out: Category[] = [];
    for (let c = byId.get(id); c; c = c.parentId ? byId.get(c.parentId) : undefined) {
      out.unshift({ ...c, ancestors: [], depth: 0, position: 0 });
    }
    return out;
  };
  const shops = new Map(catalog.sellers.map((s) => [s.id, s.shopName]));
  return catalog.products.map((p) => {
    const categories = pathOf(p.categoryId);
    const product: Product = {
      ...p,
      shopId: p.sellerId.replace(/^seller/, 'shop'),
      categoryAncestors: categories.slice(0, -1).map((c) => c.id),
      handle: p.id,
      urlHandle: null,
      variants: p.variants.map((v) => ({ ...v, images: [] })),
      images: [],
      status: 'active',
      takedown: null,
      version: 1,
      updatedAt: p.createdAt,
    };
    const available = p.variants.reduce((n, v) => n + v.stock, 0);
    return toSearchDocument(
      product,
      { available, sourceVersion: 1e6 + p.variants.length },
      { path: categories, shopName: shops.get(p.sellerId) ?? '' },
    );
  });
}
