import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tar from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type Database } from '@market/core/db';
import { productPhoto } from '@market/vision/synthetic';
import { checked, uploadPhoto } from './photos-helpers';
import { ApiClient } from './support/client';
import { coreOn } from './support/accounts';
import { checkout, pay, registerUser, stockedProduct } from './support/commerce';
import { ROOT, insertMiscCategory, spawnApp, type AppProcess } from './support/process';

/**
 * `npm run backup` while the app runs on the embedded store, `npm run restore` into a new folder, and an
 * app started on it: orders, every ledger stream and the photo files come back identical.
 */

const work = mkdtempSync(path.join(os.tmpdir(), 'market-backup-'));
const dirA = path.join(work, 'a');
const dirB = path.join(work, 'b');
const archive = path.join(work, 'snapshot.tar.gz');
const base = { SEED_DEMO: 'false', MONGODB_URI: '', SESSION_SECRET: 'k'.repeat(40), LOG_LEVEL: 'warn' };
const apps: AppProcess[] = [];
const dbs: Database[] = [];

/** Runs an npm script's entry point (`npm run backup` / `npm run restore`) as its own process. */
function runScript(script: string, args: string[], dataDir: string) {
  return new Promise<{ code: number; out: string }>((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', `scripts/${script}.ts`, ...args],
      { cwd: ROOT, env: { ...process.env, ...base, DATA_DIR: dataDir }, timeout: 120_000 },
      (err, stdout, stderr) =>
        resolve({ code: err ? Number((err as { code?: unknown }).code ?? 1) : 0, out: stdout + stderr }),
    );
  });
}

async function storeOf(dataDir: string): Promise<Database> {
  const uri = readFileSync(path.join(dataDir, 'ferretdb', 'uri'), 'utf8');
  const db = await connectDatabase(uri, 'marketplace');
  dbs.push(db);
  return db;
}

/** Orders, payments, photos and every append-only stream (stock, order events, points, ratings). */
async function durableState(db: Database) {
  const names = (await db.connection.listCollections()).map((c) => c.name);
  const kept = names
    .filter((n) => /ledger|orders|order_events|payments|photos|stock|points|ratings/.test(n))
    .sort();
  const state: Record<string, unknown[]> = {};
  for (const name of kept)
    state[name] = await db.connection.collection(name).find({}).sort({ _id: 1 }).toArray();
  return state;
}

function filesUnder(dir: string, prefix = ''): Record<string, string> {
  if (!existsSync(dir)) return {};
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const rel = path.posix.join(prefix, entry.name);
    if (entry.isDirectory()) Object.assign(out, filesUnder(path.join(dir, entry.name), rel));
    else
      out[rel] = createHash('sha256')
        .update(readFileSync(path.join(dir, entry.name)))
        .digest('hex');
  }
  return out;
}

let a: AppProcess;
let buyerEmail: string;

beforeAll(async () => {
  a = await spawnApp({ ...base, DATA_DIR: dirA });
  apps.push(a);
  const storeA = await storeOf(dirA);
  await insertMiscCategory(storeA);
  const seller = await registerUser({ url: a.url, core: coreOn(storeA) }, 'seller');
  const { sku, productId } = await stockedProduct(seller, { stock: 9, categoryId: 'cat_misc' });
  const photo = await uploadPhoto(seller, productId, await productPhoto(900));
  expect(photo.status, JSON.stringify(photo.body)).toBe(202);
  await checked(seller, photo.body.id);
  const buyer = await registerUser(a.url);
  buyerEmail = buyer.user.email;
  for (const qty of [1, 2]) {
    expect((await buyer.post('/api/cart/lines', { sku, qty })).status).toBe(200);
    const placed = await checkout(buyer);
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    await pay(buyer, placed.body);
  }
}, 300_000);

afterAll(async () => {
  await Promise.all(dbs.map((d) => d.close()));
  for (const app of apps) {
    if (app.child.exitCode === null) {
      app.child.kill('SIGTERM');
      await app.exited;
    }
  }
  rmSync(work, { recursive: true, force: true });
});

describe('backup and restore of the embedded store', () => {
  it('round-trips orders, ledgers and photos through a backup taken while the app runs', async () => {
    const storeA = await storeOf(dirA);
    const before = await durableState(storeA);
    expect(Object.keys(before).length).toBeGreaterThan(3);
    expect(before.orders).toHaveLength(2);

    const backup = await runScript('backup', [archive], dirA);
    expect(backup.code, backup.out).toBe(0);
    expect(backup.out).toContain('the app is running: live snapshot');
    expect(backup.out).toMatch(/marketplace: \d+ collections, \d+ documents/);
    expect(await durableState(storeA)).toEqual(before); // nothing moved meanwhile: a fair comparison

    // Not into the running app's folder, nor into any folder with something in it.
    const intoRunning = await runScript('restore', [archive], dirA);
    expect(intoRunning.code).toBe(1);
    expect(intoRunning.out).toMatch(/an app is running on/);
    const occupied = path.join(work, 'occupied');
    mkdirSync(occupied);
    writeFileSync(path.join(occupied, 'keep.txt'), 'mine');
    const intoOccupied = await runScript('restore', [archive], occupied);
    expect(intoOccupied.code).toBe(1);
    expect(intoOccupied.out).toMatch(/is not empty/);
    expect(readdirSync(occupied)).toEqual(['keep.txt']);

    const restore = await runScript('restore', [archive], dirB);
    expect(restore.code, restore.out).toBe(0);
    expect(restore.out).toContain('checksums verified');

    const b = await spawnApp({ ...base, DATA_DIR: dirB });
    apps.push(b);
    expect(b.output()).not.toContain('loading the demo marketplace');
    expect(await durableState(await storeOf(dirB))).toEqual(before);
    const photosA = filesUnder(path.join(dirA, 'uploads'));
    expect(Object.keys(photosA).length).toBeGreaterThan(0);
    expect(filesUnder(path.join(dirB, 'uploads'))).toEqual(photosA);
    // The restored app serves them: the buyer logs in and sees both orders.
    const buyer = new ApiClient(b.url);
    await buyer.login(buyerEmail, 'long enough password');
    const orders = (await buyer.get('/api/orders')).body.items;
    const stored = before.orders as { _id: string }[];
    expect(orders.map((o) => o.id).sort()).toEqual(stored.map((o) => o._id).sort());
  }, 300_000);

  it('refuses an archive whose files do not match their checksums and leaves the folder empty', async () => {
    const unpacked = path.join(work, 'tamper');
    mkdirSync(unpacked);
    await tar.extract({ file: archive, cwd: unpacked });
    const manifest = JSON.parse(readFileSync(path.join(unpacked, 'manifest.json'), 'utf8'));
    const upload = (manifest.files as { path: string }[]).find((f) => f.path.startsWith('uploads/'))!;
    const file = path.join(unpacked, upload.path);
    const bytes = readFileSync(file);
    const middle = bytes.length >> 1;
    bytes[middle] = bytes[middle]! ^ 0xff;
    writeFileSync(file, bytes);
    const tampered = path.join(work, 'tampered.tar.gz');
    await tar.create({ gzip: true, file: tampered, cwd: unpacked }, readdirSync(unpacked));

    const target = path.join(work, 'c');
    const res = await runScript('restore', [tampered], target);
    expect(res.code).toBe(1);
    expect(res.out).toContain(`Checksum mismatch for ${upload.path}`);
    expect(readdirSync(target)).toEqual([]);
  });
});
