import { spawn, spawnSync, type ChildProcessByStdio } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../logger';

/** The Go module (a small wrapper around FerretDB's embedding package) that we build and run. */
export const FERRETDB_SOURCE_DIR = fileURLToPath(new URL('../../../tools/ferretdb/', import.meta.url));
export const FERRETDB_VERSION = 'v1.24.2';

export class EmbeddedStoreError extends Error {
  override name = 'EmbeddedStoreError';
}

/**
 * One build-time fix to FerretDB v1.24.2, applied to a copy of the module from the Go module cache.
 *
 * Its SQLite backend creates the unique `_id` index on the expression `_ferretdb_sjson->"_id"` but looks
 * documents up by `_id` with `_ferretdb_sjson->'$._id'`. SQLite matches index expressions textually, so
 * every `_id` lookup, update and delete scans the whole table (`EXPLAIN QUERY PLAN` says `SCAN` instead
 * of `SEARCH … USING INDEX`): ~50 ms per lookup at 12k documents, linear beyond. Using the index's own
 * expression gives the same values (both read the `_id` member of the document) and makes these
 * lookups O(log n). Nothing else in FerretDB changes.
 */
const ID_COLUMN_PATCH = {
  file: 'internal/backends/sqlite/metadata/metadata.go',
  from: `IDColumn = DefaultColumn + "->'$._id'"`,
  to: `IDColumn = DefaultColumn + \`->"_id"\``,
};

function sourceFingerprint(): string {
  const h = createHash('sha256');
  for (const f of ['main.go', 'go.mod', 'go.sum']) h.update(readFileSync(path.join(FERRETDB_SOURCE_DIR, f)));
  h.update(JSON.stringify(ID_COLUMN_PATCH));
  return h.digest('hex').slice(0, 16);
}

function run(cmd: string, args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve(stdout)
        : reject(
            new EmbeddedStoreError(`${cmd} ${args.join(' ')} failed (exit ${code}):\n${stderr.slice(-4000)}`),
          ),
    );
  });
}

/** Copies FerretDB's module source out of the (read-only) Go module cache and applies ID_COLUMN_PATCH. */
async function preparePatchedSource(toolsDir: string): Promise<string> {
  const info = JSON.parse(
    await run('go', ['mod', 'download', '-json', `github.com/FerretDB/FerretDB@${FERRETDB_VERSION}`], {
      cwd: FERRETDB_SOURCE_DIR,
    }),
  ) as { Dir: string };
  const dir = path.join(toolsDir, 'src', `FerretDB@${FERRETDB_VERSION}`);
  rmSync(dir, { recursive: true, force: true });
  cpSync(info.Dir, dir, { recursive: true });
  const file = path.join(dir, ID_COLUMN_PATCH.file);
  chmodSync(file, 0o644);
  const source = readFileSync(file, 'utf8');
  if (!source.includes(ID_COLUMN_PATCH.from)) {
    throw new EmbeddedStoreError(
      `FerretDB source changed: ${ID_COLUMN_PATCH.file} no longer contains ${ID_COLUMN_PATCH.from}`,
    );
  }
  writeFileSync(file, source.replace(ID_COLUMN_PATCH.from, ID_COLUMN_PATCH.to));
  return dir;
}

/**
 * Returns the path of the FerretDB binary, building it with `go install` into `<toolsDir>/bin` the first
 * time (and again whenever the wrapper's source changes). The build takes a minute or two on a cold Go
 * module cache; progress is logged so a first start never looks hung.
 */
export async function ensureFerretDbBinary(toolsDirOption: string, log: Logger): Promise<string> {
  const toolsDir = path.resolve(toolsDirOption);
  const binDir = path.join(toolsDir, 'bin');
  const binary = path.join(binDir, 'ferretdb');
  const stampFile = path.join(binDir, 'ferretdb.stamp');
  const fingerprint = sourceFingerprint();
  if (existsSync(binary) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === fingerprint)
    return binary;

  const go = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (go.error || go.status !== 0) {
    throw new EmbeddedStoreError(
      [
        'The embedded document store needs Go to build FerretDB the first time, and `go` was not found.',
        'Either:',
        '  1. install Go 1.24 or newer (https://go.dev/dl/, or `apt-get install golang`) and start again, or',
        '  2. point the marketplace at a MongoDB 7+ server: MONGODB_URI=mongodb://host:27017/?replicaSet=rs0',
      ].join('\n'),
    );
  }

  mkdirSync(binDir, { recursive: true });
  log.info(`Building FerretDB ${FERRETDB_VERSION} into ${binDir} (first start only; 1-2 minutes)…`);
  const started = Date.now();
  const ticker = setInterval(
    () => log.info(`…still building FerretDB (${Math.round((Date.now() - started) / 1000)} s)`),
    10_000,
  );
  try {
    const patched = await preparePatchedSource(toolsDir);
    // Build the wrapper against the patched copy through a generated modfile; the committed go.mod and
    // go.sum pin every version.
    const modfile = path.join(toolsDir, 'ferretdb.go.mod');
    writeFileSync(
      modfile,
      `${readFileSync(path.join(FERRETDB_SOURCE_DIR, 'go.mod'), 'utf8')}\nreplace github.com/FerretDB/FerretDB => ${patched}\n`,
    );
    cpSync(path.join(FERRETDB_SOURCE_DIR, 'go.sum'), path.join(toolsDir, 'ferretdb.go.sum'));
    await run('go', ['install', `-modfile=${modfile}`, '.'], {
      cwd: FERRETDB_SOURCE_DIR,
      env: { ...process.env, GOBIN: binDir, CGO_ENABLED: '0', GOFLAGS: '-mod=mod' },
    });
  } finally {
    clearInterval(ticker);
  }
  writeFileSync(stampFile, fingerprint);
  log.info(`FerretDB built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return binary;
}

export interface EmbeddedFerretDb {
  /** A `mongodb://` URI without a database name. */
  uri: string;
  /** The loopback port it listens on. */
  port: number;
  pid: number;
  /** Resolves with the exit code (or the signal's name) when the process ends, for whatever reason. */
  exited: Promise<number | string>;
  /** Stops FerretDB and waits for it to exit. Safe to call twice. */
  stop(): Promise<void>;
}

/** FerretDB could not listen because its port is taken (a restart on the port it had before). */
export class StorePortTakenError extends EmbeddedStoreError {
  override name = 'StorePortTakenError';
}

/**
 * Starts FerretDB on a loopback port (a free one unless `port` is given) with its SQLite files under
 * `dataDir`.
 *
 * FerretDB exits as soon as its stdin closes, and stdin is a pipe only this process holds, so it cannot
 * outlive us — whether we exit cleanly, crash, or are killed with SIGKILL.
 */
export async function startFerretDb(opts: {
  binary: string;
  dataDir: string;
  log: Logger;
  /** Listen on this port (a restart keeps its address, so connected drivers find it again); 0 = any. */
  port?: number;
}): Promise<EmbeddedFerretDb> {
  const sqliteDir = path.join(opts.dataDir, 'ferretdb');
  mkdirSync(sqliteDir, { recursive: true });
  const child: ChildProcessByStdio<Writable, Readable, Readable> = spawn(
    opts.binary,
    ['-sqlite-dir', sqliteDir, '-listen', `127.0.0.1:${opts.port ?? 0}`],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  // Ending stdin of a child that already died must not raise an unhandled EPIPE.
  child.stdin.on('error', () => undefined);
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-8000);
    opts.log.warn({ ferretdb: d.toString().trim() }, 'ferretdb');
  });
  // 'close' (not 'exit'): by then stderr is fully read, so a start-up failure has its message.
  const exited = new Promise<number | string>((resolve) =>
    child.once('close', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );

  const uri = await new Promise<string>((resolve, reject) => {
    const fail = (err: Error) => {
      child.kill('SIGKILL');
      reject(err);
    };
    const timer = setTimeout(
      () => fail(new EmbeddedStoreError('FerretDB did not start within 30 s')),
      30_000,
    );
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => {
      clearTimeout(timer);
      try {
        resolve((JSON.parse(line) as { uri: string }).uri);
      } catch {
        fail(new EmbeddedStoreError(`Unexpected output from FerretDB: ${line}`));
      }
    });
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    void exited.then((code) => {
      clearTimeout(timer);
      const message = `FerretDB exited during start-up (code ${code}):\n${stderr}`;
      reject(
        /address already in use/i.test(stderr)
          ? new StorePortTakenError(message)
          : new EmbeddedStoreError(message),
      );
    });
  });

  let stopping: Promise<void> | undefined;
  return {
    uri,
    port: Number(new URL(uri).port),
    pid: child.pid!,
    exited,
    stop() {
      stopping ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.stdin.end();
        const timeout = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timeout);
      })();
      return stopping;
    },
  };
}
