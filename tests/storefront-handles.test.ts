import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { spawnSecondNode, startTestApp, type TestApp } from './support/app';
import { adminOf, registerSeller, uniqueName, type SignedIn } from './support/accounts';
import { assertUiBuilt } from './support/browser';
import { ApiClient } from './support/client';
import { leafCategory } from './support/commerce';
import { spawnApp, waitFor, type AppProcess } from './support/process';

/**
 * Product pages by public URL handle (`/p/<urlHandle>`, unique across the marketplace): the id form
 * answers 301 to it, the handle is claimed race-free on FerretDB even by two app processes at once, and
 * products written before handles existed get theirs from a start-up backfill that two processes may run
 * together.
 */

const SECRET = randomBytes(32).toString('hex');
let app: TestApp;
let second: AppProcess;
let seller: SignedIn;
let categoryId: string;

beforeAll(async () => {
  assertUiBuilt();
  app = await startTestApp({ products: 3, env: { SESSION_SECRET: SECRET } });
  second = await spawnSecondNode(app, {
    SESSION_SECRET: SECRET,
  });
  seller = await registerSeller(app, { shopName: uniqueName('Handle Shop') });
  categoryId = await leafCategory(seller);
});

afterAll(async () => {
  second?.child.kill('SIGTERM');
  await second?.exited;
  await app?.close();
});

type Created = { id: string; urlHandle: string | null; sku: string };

async function createProduct(
  as: ApiClient,
  body: { name: string; nameZh?: string; handle?: string },
): Promise<Created> {
  const sku = uniqueName('URL').toUpperCase();
  const res = await as.post('/api/products', {
    ...body,
    description: `${body.name}, described for the test.`,
    categoryId,
    variants: [{ sku, title: 'Standard', price: 4_200, stock: 5 }],
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { id: res.body.id, urlHandle: res.body.urlHandle, sku };
}

const get = (path: string, base = app.url) => fetch(base + path, { redirect: 'manual' });
const canonicalOf = (html: string) =>
  /<link rel="canonical" href="([^"]*)"/.exec(html)?.[1]?.replaceAll('&amp;', '&');
const productNameOf = (html: string) => /<h1 data-testid="product-name"[^>]*>([^<]*)</.exec(html)?.[1];

/** The stored claims (`_id` = URL handle) and the products' own handles, read from the database. */
async function storedHandles() {
  const db = app.database.connection.db!;
  const claims = await db
    .collection<{ _id: string; productId: string }>('product_url_handles')
    .find()
    .toArray();
  const products = await db
    .collection<{ _id: string; urlHandle?: string; status: string }>('products')
    .find({}, { projection: { urlHandle: 1, status: 1 } })
    .toArray();
  return { claims, products };
}

/** Every product's handle is claimed for it, no handle names two products and no product holds two. */
async function expectOneHandlePerProduct() {
  const { claims, products } = await storedHandles();
  const claimOf = new Map(claims.map((c) => [c._id, c.productId]));
  for (const p of products.filter((p) => p.status === 'active')) {
    expect(p.urlHandle, p._id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(claimOf.get(p.urlHandle!), p.urlHandle).toBe(p._id);
  }
  const handlesPerProduct = new Map<string, number>();
  for (const c of claims) handlesPerProduct.set(c.productId, (handlesPerProduct.get(c.productId) ?? 0) + 1);
  expect([...handlesPerProduct].filter(([, n]) => n > 1)).toEqual([]);
  const inUse = products.flatMap((p) => (p.urlHandle ? [p.urlHandle] : []));
  expect(new Set(inUse).size).toBe(inUse.length);
}

describe('a product page by URL handle', () => {
  it('answers the id URL with 301 to the handle URL (query kept), which renders with itself as canonical', async () => {
    const { id, urlHandle } = await createProduct(seller, { name: 'Handled Copper Teapot' });
    expect(urlHandle).toBe('handled-copper-teapot');

    const moved = await get(`/p/${id}?lang=en&ref=mail`);
    expect(moved.status).toBe(301);
    expect(moved.headers.get('location')).toBe(`/p/${urlHandle}?lang=en&ref=mail`);

    const res = await get(`/p/${urlHandle}?lang=en`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(productNameOf(html)).toBe('Handled Copper Teapot');
    expect(canonicalOf(html)).toBe(`${app.url}/p/${urlHandle}?lang=en`);
    const productLd = [...html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)]
      .map((m) => JSON.parse(m[1]!) as { '@type': string; offers?: { url: string } })
      .find((d) => d['@type'] === 'Product');
    expect(productLd?.offers?.url).toBe(`${app.url}/p/${urlHandle}?lang=en`);

    // The API names it too, for every link the storefront draws.
    expect((await seller.get(`/api/products/${id}`)).body.urlHandle).toBe(urlHandle);
    await expect
      .poll(async () => (await seller.get(`/api/products?shop=${(await shopIdOf(id))!}`)).body.items)
      .toContainEqual(expect.objectContaining({ id, urlHandle }));
  });

  it('404s an unknown handle, and 410s a deleted product by handle and by id; a taken-down one is 404', async () => {
    expect((await get('/p/no-such-handle-anywhere')).status).toBe(404);

    const gone = await createProduct(seller, { name: 'Handled Soon Gone Lamp' });
    expect((await get(`/p/${gone.urlHandle}`)).status).toBe(200);
    expect((await seller.delete(`/api/products/${gone.id}`)).status).toBe(204);
    const byHandle = await get(`/p/${gone.urlHandle}?lang=en`);
    expect(byHandle.status).toBe(410);
    expect(await byHandle.text()).not.toContain('Handled Soon Gone Lamp');
    expect((await get(`/p/${gone.id}`)).status).toBe(410);
    // The handle stays the deleted product's: a new product of that name gets another.
    const again = await createProduct(seller, { name: 'Handled Soon Gone Lamp' });
    expect(again.urlHandle).not.toBe(gone.urlHandle);
    expect(again.urlHandle).toMatch(/^handled-soon-gone-lamp-[a-z2-9]{6}$/);

    const disputed = await createProduct(seller, { name: 'Handled Disputed Vase' });
    const admin = await adminOf(app);
    expect(
      (await admin.post(`/api/admin/products/${disputed.id}/takedown`, { reason: 'Report' })).status,
    ).toBe(200);
    expect((await get(`/p/${disputed.urlHandle}`)).status).toBe(404);
    expect((await get(`/p/${disputed.id}`)).status).toBe(404);
  });

  it('gives a Chinese-only name a readable fallback handle', async () => {
    const { id, urlHandle } = await createProduct(seller, { name: '紫砂茶壶', nameZh: '紫砂茶壶' });
    expect(urlHandle).toMatch(/^item-[a-z2-9]{6}$/);
    const res = await get(`/p/${urlHandle}?lang=zh`);
    expect(res.status).toBe(200);
    expect(productNameOf(await res.text())).toBe('紫砂茶壶');
    expect((await get(`/p/${id}`)).headers.get('location')).toBe(`/p/${urlHandle}`);
  });
});

async function shopIdOf(productId: string): Promise<string | undefined> {
  return (await seller.get(`/api/products/${productId}`)).body.shop?.id;
}

/** Makes product documents of the seller's shop as the demo seed writes them (`insertSeedProducts`). */
async function seedDocsOfSeller(name: string) {
  const shopId = (await shopIdOf((await createProduct(seller, { name: uniqueName('Seed Anchor') })).id))!;
  return (id: string) => ({
    _id: id,
    shopId,
    sellerId: seller.user.id,
    categoryId,
    categoryAncestors: [],
    handle: id,
    name,
    nameZh: '',
    description: '',
    descriptionZh: '',
    brand: '',
    tags: [],
    variants: [{ sku: uniqueName('SEED').toUpperCase(), title: '', price: 100, attributes: {}, images: [] }],
    images: [],
    popularity: 0,
    status: 'active' as const,
    takedown: null,
    version: 1,
    createdAt: new Date(),
    updatedAt: new Date(),
  });
}

describe('URL handles under concurrency', () => {
  it('gives two shops’ products with one handle different URL handles, each page its own product', async () => {
    const other = await registerSeller(app, { shopName: uniqueName('Other Handle Shop') });
    const handle = uniqueName('twin').toLowerCase();
    const [a, b] = await Promise.all([
      createProduct(seller, { name: 'Twin Teacup A', handle }),
      createProduct(other, { name: 'Twin Teacup B', handle }),
    ]);
    expect(a.urlHandle).not.toBe(b.urlHandle);
    expect([a.urlHandle, b.urlHandle]).toContain(handle);
    for (const [product, name] of [
      [a, 'Twin Teacup A'],
      [b, 'Twin Teacup B'],
    ] as const) {
      const res = await get(`/p/${product.urlHandle}?lang=en`);
      expect(res.status).toBe(200);
      expect(productNameOf(await res.text())).toBe(name);
    }
  });

  it('never gives two products one URL handle when many are created at once on two app processes', async () => {
    // One seller signed in on both processes; every product has the same name, so all want one handle.
    const onSecond = new ApiClient(second.url);
    await onSecond.login(seller.email, seller.password);
    const tag = randomBytes(3).toString('hex');
    const base = `contended-kettle-${tag}`;
    const created = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        createProduct(i % 2 ? onSecond : seller, { name: `Contended Kettle ${tag}` }),
      ),
    );
    const handles = created.map((c) => c.urlHandle);
    expect(new Set(handles).size).toBe(created.length);
    expect(handles.filter((h) => h === base)).toHaveLength(1);
    for (const h of handles.filter((h) => h !== base)) expect(h).toMatch(new RegExp(`^${base}-[a-z2-9]{6}$`));
    await expectOneHandlePerProduct();
    // Each handle opens its own product, on either process.
    for (const [i, c] of created.slice(0, 6).entries()) {
      const res = await get(`/p/${c.urlHandle}?lang=en`, i % 2 ? second.url : app.url);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain(`"sku":"${c.sku}"`);
    }
  });

  it('claims seeded batches in bulk without a duplicate across batches', async () => {
    const seedDoc = await seedDocsOfSeller('Seeded Twin Clock');
    const tag = randomBytes(3).toString('hex');
    const first = await app.core.catalog.insertSeedProducts([seedDoc(`p_${tag}_1`), seedDoc(`p_${tag}_2`)]);
    const next = await app.core.catalog.insertSeedProducts([seedDoc(`p_${tag}_3`), seedDoc(`p_${tag}_4`)]);
    const handles = [...first, ...next].map((d) => d.urlHandle);
    expect(new Set(handles).size).toBe(4);
    expect(handles.filter((h) => h === 'seeded-twin-clock')).toHaveLength(1);
    await expectOneHandlePerProduct();
  });
});

describe('the URL handle backfill', () => {
  it('gives old products handles, once each, with two processes backfilling at once', async () => {
    const names = ['Old Store Lantern', 'Old Store Lantern', 'Old Store Abacus', '旧店算盘'];
    const old: Created[] = [];
    for (const name of names) old.push(await createProduct(seller, { name }));
    // A crowd of old products wanting two handles, so the backfills contend for the same claims and each
    // runs long enough for the other to join in.
    const crowd = await seedDocsOfSeller('Backfill Crowd Clock');
    const tag = randomBytes(3).toString('hex');
    const crowded = await app.core.catalog.insertSeedProducts(
      Array.from({ length: 300 }, (_, i) => crowd(`p_${tag}_${String(i).padStart(3, '0')}`)),
    );
    // Make them all products of an old store: no URL handle, no claim, no record of a finished backfill.
    const db = app.database.connection.db!;
    const stripped = [...old.map((o) => ({ _id: o.id, urlHandle: o.urlHandle! })), ...crowded];
    for (const { _id, urlHandle } of stripped) {
      await db.collection('products').updateOne({ _id: _id as never }, { $unset: { urlHandle: '' } });
      await db.collection('product_url_handles').deleteOne({ _id: urlHandle as never });
    }
    await db.collection('catalog_maintenance').deleteMany({});
    // Without a handle the page renders at its id, as before handles existed.
    expect((await get(`/p/${old[0]!.id}`)).status).toBe(200);

    // A freshly started process backfills from its start-up; this one joins in as soon as it is up.
    const third = await spawnApp({
      MONGODB_URI: inject('mongoUri'),
      MONGODB_DB: app.config.mongo.dbName,
      SESSION_SECRET: SECRET,
      SEED_DEMO: 'false',
      LOG_LEVEL: 'warn',
      DATA_DIR: app.config.dataDir + '-third',
    });
    try {
      const own = await app.core.catalog.backfillUrlHandles({ batchSize: 20 });
      expect(own.skipped).toBe(false);
      await waitFor(
        async () =>
          (await db.collection('products').countDocuments({
            _id: { $in: stripped.map((p) => p._id) as never[] },
            urlHandle: { $exists: true },
          })) === stripped.length,
        60_000,
        'every old product to get a handle',
      );
      // Both processes did part of the work (the other's share is the rest).
      expect(own.assigned).toBeGreaterThan(0);
      expect(own.assigned).toBeLessThan(stripped.length);
      await expectOneHandlePerProduct();

      const after = await Promise.all(
        old.map(async ({ id }) => (await seller.get(`/api/products/${id}`)).body.urlHandle),
      );
      expect([after[0], after[1]]).toContain('old-store-lantern');
      expect([after[0], after[1]].find((h) => h !== 'old-store-lantern')).toMatch(
        /^old-store-lantern-[a-z2-9]{6}$/,
      );
      expect(after[2]).toBe('old-store-abacus');
      expect(after[3]).toMatch(/^item-[a-z2-9]{6}$/);
      for (const [i, { id }] of old.entries()) {
        expect((await get(`/p/${id}?lang=en`)).headers.get('location')).toBe(`/p/${after[i]}?lang=en`);
      }
      // The listing read model follows the backfill's product.updated (projected by whichever process
      // announced it: without Redis each process hears only its own events), so cards link to the handle.
      await waitFor(
        async () =>
          (
            await db
              .collection<{ _id: string; urlHandle?: string }>('product_listings')
              .findOne({ _id: old[0]!.id })
          )?.urlHandle === after[0],
        30_000,
        'the listing to carry the handle',
      );
      // Done once: later start-ups skip the scan.
      await waitFor(
        async () => (await db.collection('catalog_maintenance').countDocuments()) > 0,
        60_000,
        'the backfill to be recorded',
      );
      expect(await app.core.catalog.backfillUrlHandles()).toEqual({ assigned: 0, skipped: true });
    } finally {
      third.child.kill('SIGTERM');
      await third.exited;
    }
  });
});
