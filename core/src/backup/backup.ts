import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { copyFile, link, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as tar from 'tar';
import { countCollections, snapshotSqlite } from './sqlite';
import type { Clock } from '../clock';

export const BACKUP_FORMAT = 'bazaar-backup/1';

/** One file in the archive, as the manifest records it. */
export interface BackupFile {
  /** Path inside the archive (`store/<db>.sqlite`, `uploads/…`, `session-secret`). */
  path: string;
  bytes: number;
  sha256: string;
}

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  createdAt: string;
  /** Whether an app was serving the data folder while the snapshot was taken. */
  appWasRunning: boolean;
  databases: Array<{ name: string; file: string; collections: Record<string, number> }>;
  uploads: { files: number; bytes: number };
  files: BackupFile[];
}

export type BackupProgress = (event: { phase: string; done: number; total: number }) => void;

export class BackupError extends Error {
  override name = 'BackupError';
}

const MANIFEST = 'manifest.json';
const STORE_DIR = 'ferretdb';
const UPLOADS_DIR = 'uploads';
const SESSION_SECRET = 'session-secret';

async function sha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Every regular file under `dir`, relative to it, skipping half-written uploads (`*.tmp`). */
async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const rel = path.posix.join(prefix, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(path.join(dir, entry.name), rel)));
    else if (entry.isFile() && !entry.name.endsWith('.tmp')) out.push(rel);
  }
  return out;
}

/** A hard link pins the file as it is now (uploads are replaced by rename, never rewritten in place). */
async function pin(from: string, to: string): Promise<void> {
  await mkdir(path.dirname(to), { recursive: true });
  await link(from, to).catch(() => copyFile(from, to));
}

/**
 * Writes a backup of an embedded-store data folder to `target` (a gzipped tar): a consistent snapshot of
 * each FerretDB database, the uploads, the session secret, and a manifest with the document counts and
 * each file's sha256. Safe while the app runs: the databases are snapshotted first (see sqlite.ts), then
 * the uploads are pinned by hard links. An upload added after the snapshot may be included (unreferenced,
 * harmless); one deleted in between would be missing, which nothing in the app does to referenced photos.
 */
export async function createBackup(opts: {
  dataDir: string;
  target: string;
  appRunning: boolean;
  onProgress?: BackupProgress;
  clock?: Clock;
}): Promise<BackupManifest> {
  const dataDir = path.resolve(opts.dataDir);
  const progress = opts.onProgress ?? (() => undefined);
  const clock = opts.clock ?? (() => new Date());
  const storeDir = path.join(dataDir, STORE_DIR);
  const databases = existsSync(storeDir)
    ? (await readdir(storeDir)).filter((f) => f.endsWith('.sqlite')).sort()
    : [];
  if (databases.length === 0) throw new BackupError(`No embedded store to back up in ${storeDir}`);

  // Staged inside the data folder so that hard links work (same file system).
  const staging = path.join(dataDir, `.backup-${randomBytes(4).toString('hex')}`);
  await mkdir(path.join(staging, 'store'), { recursive: true });
  try {
    const createdAt = clock().toISOString();
    const manifestDatabases: BackupManifest['databases'] = [];
    for (const [i, file] of databases.entries()) {
      progress({ phase: `snapshot ${file}`, done: i, total: databases.length });
      const snapshot = path.join(staging, 'store', file);
      await snapshotSqlite(path.join(storeDir, file), snapshot);
      manifestDatabases.push({
        name: file.replace(/\.sqlite$/, ''),
        file: `store/${file}`,
        collections: await countCollections(snapshot),
      });
    }
    progress({ phase: 'snapshot', done: databases.length, total: databases.length });

    const uploads = await listFiles(path.join(dataDir, UPLOADS_DIR));
    for (const [i, rel] of uploads.entries()) {
      await pin(path.join(dataDir, UPLOADS_DIR, rel), path.join(staging, UPLOADS_DIR, rel));
      if (i % 50 === 0) progress({ phase: 'uploads', done: i, total: uploads.length });
    }
    if (existsSync(path.join(dataDir, SESSION_SECRET)))
      await copyFile(path.join(dataDir, SESSION_SECRET), path.join(staging, SESSION_SECRET));

    const paths = await listFiles(staging);
    const files: BackupFile[] = [];
    let totalBytes = 0;
    for (const [i, rel] of paths.entries()) {
      const abs = path.join(staging, rel);
      const bytes = (await stat(abs)).size;
      files.push({ path: rel, bytes, sha256: await sha256(abs) });
      totalBytes += bytes;
      if (i % 50 === 0) progress({ phase: 'checksums', done: i, total: paths.length });
    }
    const uploadFiles = files.filter((f) => f.path.startsWith(`${UPLOADS_DIR}/`));
    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      createdAt,
      appWasRunning: opts.appRunning,
      databases: manifestDatabases,
      uploads: { files: uploadFiles.length, bytes: uploadFiles.reduce((s, f) => s + f.bytes, 0) },
      files,
    };
    await writeFile(path.join(staging, MANIFEST), JSON.stringify(manifest, null, 2));

    // Written next to the target and renamed: a backup file either is complete or does not exist.
    const partial = `${opts.target}.partial`;
    let archived = 0;
    await tar.create(
      {
        gzip: true,
        file: partial,
        cwd: staging,
        portable: true,
        filter: (_p, entry) => {
          if ('isFile' in entry && entry.isFile()) {
            archived += entry.size;
            progress({ phase: 'archive', done: archived, total: totalBytes });
          }
          return true;
        },
      },
      [MANIFEST, ...paths],
    );
    await rename(partial, opts.target);
    return manifest;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** What is in the way of restoring into `dataDir`, or null when it is empty (or does not exist). */
export async function restoreBlocker(dataDir: string): Promise<string | null> {
  if (!existsSync(dataDir)) return null;
  if (existsSync(path.join(dataDir, STORE_DIR, 'uri')))
    return `an app is running on ${dataDir} (it holds ${STORE_DIR}/uri): stop it, and restore into an empty folder`;
  const entries = await readdir(dataDir);
  return entries.length > 0
    ? `${dataDir} is not empty (${entries.slice(0, 5).join(', ')}${entries.length > 5 ? ', …' : ''}): restore only into an empty or new data folder`
    : null;
}

/**
 * Restores a backup into an empty data folder: unpacks it aside, checks every file against the
 * manifest's size and sha256 and every database's document counts, and only then moves the files into
 * place. A bad archive leaves the folder as it was.
 */
export async function restoreBackup(opts: {
  source: string;
  dataDir: string;
  onProgress?: BackupProgress;
}): Promise<BackupManifest> {
  const dataDir = path.resolve(opts.dataDir);
  const progress = opts.onProgress ?? (() => undefined);
  const blocker = await restoreBlocker(dataDir);
  if (blocker) throw new BackupError(`Refusing to restore: ${blocker}`);
  if (!existsSync(opts.source)) throw new BackupError(`No backup file at ${opts.source}`);

  await mkdir(dataDir, { recursive: true });
  const staging = path.join(dataDir, `.restore-${randomBytes(4).toString('hex')}`);
  await mkdir(staging);
  try {
    const archiveBytes = (await stat(opts.source)).size;
    let read = 0;
    await tar.extract({
      file: opts.source,
      cwd: staging,
      strict: true,
      onReadEntry: (entry) => {
        read += entry.size ?? 0;
        progress({ phase: 'unpack', done: Math.min(read, archiveBytes), total: archiveBytes });
      },
    });
    const manifestFile = path.join(staging, MANIFEST);
    if (!existsSync(manifestFile))
      throw new BackupError(`${opts.source} is not a marketplace backup (no manifest)`);
    const manifest = JSON.parse(await readFile(manifestFile, 'utf8')) as BackupManifest;
    if (manifest.format !== BACKUP_FORMAT)
      throw new BackupError(`Unknown backup format ${String(manifest.format)} (expected ${BACKUP_FORMAT})`);

    const listed = new Set(manifest.files.map((f) => f.path));
    for (const extra of await listFiles(staging)) {
      if (extra !== MANIFEST && !listed.has(extra))
        throw new BackupError(`The archive holds ${extra}, which its manifest does not list`);
    }
    for (const [i, f] of manifest.files.entries()) {
      const abs = path.join(staging, f.path);
      if (!existsSync(abs)) throw new BackupError(`The archive lacks ${f.path}`);
      const bytes = (await stat(abs)).size;
      if (bytes !== f.bytes || (await sha256(abs)) !== f.sha256)
        throw new BackupError(`Checksum mismatch for ${f.path}: the backup is damaged`);
      if (i % 50 === 0) progress({ phase: 'verify', done: i, total: manifest.files.length });
    }
    for (const db of manifest.databases) {
      const counts = await countCollections(path.join(staging, db.file));
      if (JSON.stringify(counts) !== JSON.stringify(db.collections))
        throw new BackupError(`Document counts of ${db.name} differ from the manifest`);
    }

    await mkdir(path.join(dataDir, STORE_DIR), { recursive: true });
    for (const db of manifest.databases)
      await rename(path.join(staging, db.file), path.join(dataDir, STORE_DIR, path.basename(db.file)));
    if (existsSync(path.join(staging, UPLOADS_DIR)))
      await rename(path.join(staging, UPLOADS_DIR), path.join(dataDir, UPLOADS_DIR));
    if (existsSync(path.join(staging, SESSION_SECRET)))
      await rename(path.join(staging, SESSION_SECRET), path.join(dataDir, SESSION_SECRET));
    return manifest;
  } catch (err) {
    // Leave the folder as it was: empty.
    for (const entry of await readdir(dataDir))
      await rm(path.join(dataDir, entry), { recursive: true, force: true });
    throw err;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
