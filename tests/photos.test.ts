import { readdirSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { io as connect, type Socket } from 'socket.io-client';
import { NAMESPACES, type PhotoCheckedMessage, type PhotoReviewMessage } from '@market/realtime/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  giftBoxSvg,
  overlays,
  pixelFloodPng,
  productPhoto,
  renderSvg,
  sidewaysPhotoWithGps,
} from '@market/vision/synthetic';
import { checked, codes, createProduct, uploadPhoto } from './photos-helpers';
import { registerSeller, registerUser, staffAccount } from './support/accounts';
import { startTestApp, type TestApp } from './support/app';
import { ApiClient } from './support/client';
import { waitFor } from './support/process';

/**
 * Photo checks through the real API, job queue, FerretDB, sharp and ONNX models (`npm run setup:vision`).
 * Every image is drawn here (SVG rendered by sharp) so what it shows is known: a mug on white, the same
 * with a phone-number banner, a faint watermark, a URL in the corner, blurred, tiny, stored sideways with
 * EXIF orientation and GPS, a pixel flood, and a text file called `.jpg`.
 */

const PER_PRODUCT = 3;
let app: TestApp;
let alice: ApiClient;
let bob: ApiClient;
let support: ApiClient;
const CATEGORY = 'cat_photo_test_kitchen';

/** Uploads started in `beforeAll` so the checks run side by side; each test awaits its own. */
const started: Record<string, Promise<{ productId: string; photoId: string }>> = {};

async function startCase(name: string, seller: ApiClient, image: Promise<Buffer>, category = CATEGORY) {
  const productId = await createProduct(seller, category, `Mug ${name}`);
  const res = await uploadPhoto(seller, productId, await image, `${name}.jpg`);
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  expect(res.body).toMatchObject({ status: 'checking', public: false, main: true });
  return { productId, photoId: res.body.id as string };
}

async function verdictOf(name: string) {
  const { productId, photoId } = await started[name]!;
  return { productId, photo: await checked(alice, photoId) };
}

async function fetchAs(client: ApiClient | null, url: string, accept = 'image/avif,image/webp,*/*') {
  const res = await fetch(app.url + url, {
    headers: { accept, ...(client && { cookie: client.cookieHeader() }) },
  });
  return { res, body: Buffer.from(await res.arrayBuffer()) };
}

beforeAll(async () => {
  app = await startTestApp({ env: { PHOTO_MAX_PER_PRODUCT: String(PER_PRODUCT) } });
  await app.core.categories.createMany([
    { id: 'cat_photo_test_home', slug: 'photo-test-home', name: 'Home', nameZh: '家居', parentId: null },
    {
      id: CATEGORY,
      slug: 'photo-test-kitchen',
      name: 'Kitchen',
      nameZh: '厨房',
      parentId: 'cat_photo_test_home',
    },
    { id: 'cat_phones_digital', slug: 'phones-digital', name: 'Phones', nameZh: '手机数码', parentId: null },
    { id: 'cat_mobile', slug: 'mobile', name: 'Mobile', nameZh: '手机通讯', parentId: 'cat_phones_digital' },
    {
      id: 'cat_phone_cases',
      slug: 'phone-cases',
      name: 'Phone Cases',
      nameZh: '手机壳',
      parentId: 'cat_mobile',
    },
  ]);
  alice = await registerSeller(app, { name: 'alice' });
  bob = await registerSeller(app, { name: 'bob' });
  support = await staffAccount(app, 'support');

  const size = 1000;
  started.clean = startCase('clean', alice, productPhoto(size));
  started.banner = startCase('banner', alice, productPhoto(size, overlays.phoneBanner(size)));
  started.watermark = startCase('watermark', alice, productPhoto(size, overlays.faintWatermark(size)));
  started.url = startCase('url', alice, productPhoto(size, overlays.urlCorner(size)));
  started.blurred = startCase('blurred', alice, productPhoto(size, '', { blurSigma: 6 }));
  started.tiny = startCase('tiny', alice, productPhoto(200));
  started.sideways = startCase('sideways', alice, sidewaysPhotoWithGps(1200, 900));
  started.phoneCase = startCase('phoneCase', alice, productPhoto(size), 'cat_phone_cases');
  await Promise.all(Object.values(started));
}, 240_000);
afterAll(() => app?.close());

function openSocket(namespace: 'seller' | 'support', client: ApiClient): Promise<Socket> {
  const socket = connect(`${app.url}${NAMESPACES[namespace]}`, {
    transports: ['websocket'],
    extraHeaders: { cookie: client.cookieHeader() },
    forceNew: true,
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

describe('photo verdicts on images with known content', () => {
  it('passes a clean product on white, and then shows it to shoppers instead of the artwork', async () => {
    const { productId, photo } = await verdictOf('clean');
    expect(photo.status, JSON.stringify(photo.reasons)).toBe('pass');
    expect(photo.reasons.filter((r) => r.severity !== 'info')).toEqual([]);
    expect(photo.public).toBe(true);
    expect(photo.metrics).toMatchObject({ width: 1000, height: 1000, aspectRatio: 1 });
    expect(photo.metrics!.backgroundShare).toBeGreaterThan(0.4);
    expect(photo.metrics!.productFill).toBeGreaterThan(0.5);
    expect(photo.findings!.nsfwScore).toBeLessThan(0.1);

    const page = (await new ApiClient(app.url).get(`/api/products/${productId}`)).body;
    expect(page.imageUrls).toEqual([photo.urls!.large]);
    // The listing read model follows through `product.photos_changed`.
    await waitFor(
      async () => (await app.core.listings.getListing(productId))?.imageUrl === photo.urls!.medium,
    );

    // Anyone may load a public photo; the format follows Accept, cached as immutable.
    for (const [accept, type] of [
      ['image/avif,image/webp,*/*', 'image/avif'],
      ['image/webp,*/*', 'image/webp'],
      ['*/*', 'image/jpeg'],
    ] as const) {
      const { res, body } = await fetchAs(null, photo.urls!.medium, accept);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe(type);
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(res.headers.get('vary')).toContain('Accept');
      const meta = await sharp(body).metadata();
      expect(Math.max(meta.width!, meta.height!)).toBe(640);
    }
    const thumb = await fetchAs(null, photo.urls!.thumb, 'image/webp');
    expect((await sharp(thumb.body).metadata()).width).toBe(240);
  });

  it('rejects a phone-number banner for the contact details, and flags the text', async () => {
    const { photo } = await verdictOf('banner');
    expect(photo.status).toBe('reject');
    const contact = photo.reasons.find((r) => r.code === 'contact');
    expect(contact).toMatchObject({ severity: 'reject' });
    expect(contact?.detail).toMatch(/^phone: .*138\s?0013\s?8000/);
    expect(codes(photo)).toContain('text_coverage');
    expect(photo.public).toBe(false);
  });

  it('sends a faint watermark to review (or rejects it) for its text coverage', async () => {
    const { photo } = await verdictOf('watermark');
    expect(['needs_review', 'reject']).toContain(photo.status);
    const text = photo.reasons.find((r) => r.code === 'text_coverage');
    expect(text!.value).toBeGreaterThan(text!.threshold!);
    expect(text?.detail).toMatch(/BEST|SHOP/);
    expect(photo.findings!.text.boxes.length).toBeGreaterThan(0);
    expect(photo.public).toBe(false);
  });

  it('rejects a URL in the corner', async () => {
    const { photo } = await verdictOf('url');
    expect(photo.status).toBe('reject');
    expect(photo.reasons.find((r) => r.code === 'contact')?.detail).toMatch(/url: .*cheap-deals\.com/);
  });

  it('rejects a blurred shot with its measured sharpness', async () => {
    const { photo } = await verdictOf('blurred');
    expect(photo.status).toBe('reject');
    const blur = photo.reasons.find((r) => r.code === 'blur');
    expect(blur?.severity).toBe('reject');
    expect(blur?.value).toBe(photo.metrics!.sharpness);
    expect(blur!.value).toBeLessThan(blur!.threshold!);
    expect(blur?.threshold).toBe(app.config.photos.thresholds.minSharpness);
  });

  it('rejects a tiny image for its resolution', async () => {
    const { photo } = await verdictOf('tiny');
    expect(photo.status).toBe('reject');
    expect(photo.reasons.find((r) => r.code === 'resolution')).toMatchObject({
      severity: 'reject',
      value: 200,
      threshold: app.config.photos.thresholds.minSide,
    });
  });

  it('turns a sideways photo upright by its EXIF orientation and strips EXIF and GPS from every variant', async () => {
    const original = await sidewaysPhotoWithGps(1200, 900);
    const stored = await sharp(original).metadata();
    expect([stored.width, stored.height, stored.orientation]).toEqual([1200, 900, 6]);
    expect(stored.exif?.length).toBeGreaterThan(0);

    const { photo } = await verdictOf('sideways');
    expect(photo.metrics).toMatchObject({ width: 900, height: 1200 });
    expect(codes(photo)).not.toContain('aspect_ratio');
    for (const size of ['thumb', 'medium', 'large'] as const) {
      for (const accept of ['image/avif', 'image/webp', 'image/jpeg']) {
        // Not public yet unless it passed: its seller may look, with a private cache header.
        const { res, body } = await fetchAs(alice, photo.urls![size], accept);
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toBe(accept);
        const meta = await sharp(body).metadata();
        expect(meta.height!).toBeGreaterThan(meta.width!);
        expect(meta.exif).toBeUndefined();
        expect(meta.orientation).toBeUndefined();
        expect(meta.xmp).toBeUndefined();
        expect(meta.icc).toBeUndefined();
      }
    }
  });

  it('flags a coffee mug listed as a phone case for review', async () => {
    const { photo } = await verdictOf('phoneCase');
    expect(photo.status).toBe('needs_review');
    expect(photo.reasons.find((r) => r.code === 'category_mismatch')).toMatchObject({
      severity: 'review',
    });
  });
});

describe('API document', () => {
  it('documents the photo routes', async () => {
    const doc = (await alice.get('/api/openapi.json')).body;
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/seller/products/{id}/photos',
        '/api/seller/products/{id}/photos/main',
        '/api/seller/photos/{photoId}',
        '/api/support/photos/review',
        '/api/support/photos/{photoId}/review',
      ]),
    );
    expect(doc.components.schemas.Photo?.properties.reasons).toBeTruthy();
  });
});

describe('durable checks', () => {
  it('lets a retried attempt of a check job rewrite nothing twice: same variant files, one check counted', async () => {
    const { photo } = await verdictOf('tiny');
    const variantFiles = () =>
      readdirSync(path.join(app.config.dataDir, 'uploads', 'variants'), { recursive: true })
        .map(String)
        .filter((f) => f.includes(photo.sha256))
        .sort();
    const before = variantFiles();
    expect(before.filter((f) => /\.(avif|webp|jpg)$/.test(f))).toHaveLength(9);
    const stored = await app.database.connection
      .collection<{ _id: string; jobId: string }>('photo_checks')
      .findOne({ _id: photo.id });
    const retry = { jobId: stored!.jobId, heartbeat: async () => undefined };
    await app.core.photos.runCheck({ photoId: photo.id }, retry);
    expect(variantFiles()).toEqual(before);
    expect((await alice.get(`/api/seller/photos/${photo.id}`)).body).toMatchObject({
      checks: 1,
      status: 'reject',
    });
    // A different job (a recheck) is a second check.
    await app.core.photos.runCheck({ photoId: photo.id }, { ...retry, jobId: 'recheck-job' });
    expect((await alice.get(`/api/seller/photos/${photo.id}`)).body.checks).toBe(2);
    expect(variantFiles()).toEqual(before);
  });
});

describe('uploads that are refused', () => {
  it('refuses a pixel flood from its header, without decoding it, and keeps serving', async () => {
    const productId = await createProduct(alice, CATEGORY);
    const flood = pixelFloodPng(30_000);
    expect(flood.length).toBeLessThan(1024 * 1024);
    const res = await uploadPhoto(alice, productId, flood, 'flood.png', 'image/png');
    expect(res.status).toBe(422);
    expect(res.error.fields[0]).toMatchObject({ field: 'file' });
    expect(res.error.message).toMatch(/30000×30000 pixels \(900 megapixels\); at most 40 megapixels/);
    expect((await alice.get('/api/auth/session')).status).toBe(200);
    expect((await alice.get(`/api/seller/products/${productId}/photos`)).body.items).toEqual([]);
  });

  it('refuses a text file named .jpg by its content', async () => {
    const productId = await createProduct(alice, CATEGORY);
    const res = await uploadPhoto(alice, productId, Buffer.from('call me maybe\n'.repeat(20)), 'photo.jpg');
    expect(res.status).toBe(415);
    expect(res.error).toMatchObject({ code: 'unsupported_image' });
    expect(res.error.fields[0]).toMatchObject({ field: 'file' });
    expect(res.error.message).toMatch(/JPEG, PNG, WebP or AVIF/);
    // Not multipart at all, or multipart without a boundary: clear 4xx answers too.
    const json = await alice.post(`/api/seller/products/${productId}/photos`, { file: 'x' });
    expect(json.status).toBe(415);
    const broken = await alice.request('POST', `/api/seller/products/${productId}/photos`, {
      body: 'garbage',
      headers: { 'content-type': 'multipart/form-data' },
    });
    expect(broken.status).toBe(400);
    expect(broken.error.code).toBe('bad_request');
  });

  it('refuses a photo over the size limit with 413 naming the field', async () => {
    const productId = await createProduct(alice, CATEGORY);
    const huge = Buffer.alloc(app.config.photos.limits.maxBytes + 1, 0xff);
    const res = await uploadPhoto(alice, productId, huge);
    expect(res.status).toBe(413);
    expect(res.error.fields[0]).toMatchObject({ field: 'file' });
  });

  it('refuses another seller, a shopper and a visitor', async () => {
    const { productId, photoId } = await started.clean!;
    const image = await productPhoto(600);
    expect((await uploadPhoto(bob, productId, image)).status).toBe(403);
    // Without a session only JSON writes get through (CSRF rule), so a visitor's form post stops there.
    const visitor = await uploadPhoto(new ApiClient(app.url), productId, image);
    expect(visitor.status).toBe(403);
    expect(visitor.error.message).toMatch(/without a session/);
    const shopper = await registerUser(app.url, 'shopper', { name: 'Shopper' });
    expect((await uploadPhoto(shopper, productId, image)).status).toBe(403);
    expect((await bob.get(`/api/seller/products/${productId}/photos`)).status).toBe(403);
    expect((await bob.get(`/api/seller/photos/${photoId}`)).status).toBe(403);
    expect((await bob.delete(`/api/seller/photos/${photoId}`)).status).toBe(403);
    expect((await uploadPhoto(alice, 'prd_missing', image)).status).toBe(404);
    // A photo that is not public is invisible to everyone but its seller and support.
    const { photo } = await verdictOf('banner');
    expect((await fetchAs(null, photo.urls!.medium)).res.status).toBe(404);
    expect((await fetchAs(bob, photo.urls!.medium)).res.status).toBe(404);
    expect((await fetchAs(support, photo.urls!.medium)).res.status).toBe(200);
  });

  it('holds a product to its photo quota', async () => {
    const productId = await createProduct(alice, CATEGORY);
    const image = await productPhoto(700);
    for (let i = 0; i < PER_PRODUCT; i++)
      expect((await uploadPhoto(alice, productId, image)).status).toBe(202);
    const over = await uploadPhoto(alice, productId, image);
    expect(over.status).toBe(409);
    expect(over.error).toMatchObject({
      code: 'photo_quota_exceeded',
      quota: { scope: 'product', limit: PER_PRODUCT, used: PER_PRODUCT },
    });
    const listed = (await alice.get(`/api/seller/products/${productId}/photos`)).body;
    expect(listed.items).toHaveLength(PER_PRODUCT);
    // Deleting one makes room again.
    expect((await alice.delete(`/api/seller/photos/${listed.items[2]!.id}`)).status).toBe(204);
    expect((await uploadPhoto(alice, productId, image)).status).toBe(202);
  });
});

describe('duplicates, main image and support review', () => {
  it('delivers the verdict to the seller live, and the queued photo to support', async () => {
    const sellerSocket = await openSocket('seller', alice);
    const supportSocket = await openSocket('support', support);
    const bobSocket = await openSocket('seller', bob);
    try {
      const checkedMessages: PhotoCheckedMessage[] = [];
      const reviewMessages: PhotoReviewMessage[] = [];
      const bobMessages: PhotoCheckedMessage[] = [];
      sellerSocket.on('photo.checked', (m: PhotoCheckedMessage) => checkedMessages.push(m));
      supportSocket.on('photo.review', (m: PhotoReviewMessage) => reviewMessages.push(m));
      bobSocket.on('photo.checked', (m: PhotoCheckedMessage) => bobMessages.push(m));

      const productId = await createProduct(alice, CATEGORY, 'Live mug');
      const upload = await uploadPhoto(
        alice,
        productId,
        await productPhoto(900, overlays.faintWatermark(900)),
      );
      const photoId = upload.body.id as string;
      const live = await waitFor(async () => checkedMessages.find((m) => m.photoId === photoId), 180_000);
      expect(live).toMatchObject({ productId, public: false, review: null, checks: 1 });
      expect(live.reasons.map((r) => r.code)).toContain('text_coverage');
      expect(live.status).toBe((await alice.get(`/api/seller/photos/${photoId}`)).body.status);
      if (live.status === 'needs_review')
        await waitFor(async () => reviewMessages.find((m) => m.photoId === photoId && m.state === 'queued'));
      expect(bobMessages).toEqual([]);
    } finally {
      for (const socket of [sellerSocket, supportSocket, bobSocket]) socket.disconnect();
    }
  });

  it("reports another shop's near-identical photo with the matching product", async () => {
    const original = await renderSvg(giftBoxSvg(1000));
    const aliceProduct = await createProduct(alice, CATEGORY, 'Gift box');
    const first = await uploadPhoto(alice, aliceProduct, original);
    const firstChecked = await checked(alice, first.body.id);
    expect(firstChecked.status, JSON.stringify(firstChecked.reasons)).toBe('pass');

    // The same seller reusing a photo is reported, but does not hold the photo back.
    const aliceAgain = await createProduct(alice, CATEGORY, 'Gift box, large');
    const reused = await checked(alice, (await uploadPhoto(alice, aliceAgain, original)).body.id);
    expect(reused.reasons.find((r) => r.code === 'duplicate')).toMatchObject({
      severity: 'info',
      productId: aliceProduct,
      value: 0,
    });
    expect(reused.status).toBe('pass');

    // Bob re-encodes Alice's photo smaller and slightly darker.
    const copy = await sharp(original)
      .resize(800)
      .modulate({ brightness: 0.95 })
      .jpeg({ quality: 70 })
      .toBuffer();
    const bobProduct = await createProduct(bob, CATEGORY, 'Gift box (copy)');
    const photo = await checked(bob, (await uploadPhoto(bob, bobProduct, copy)).body.id);
    expect(photo.status).toBe('needs_review');
    const dups = photo.reasons.filter((r) => r.code === 'duplicate');
    expect(dups.map((r) => r.productId).sort()).toEqual([aliceProduct, aliceAgain].sort());
    for (const dup of dups) {
      expect(dup.severity).toBe('review');
      expect(dup.value).toBeLessThanOrEqual(dup.threshold!);
    }
    expect(photo.duplicates.map((d) => d.photoId)).toContain(first.body.id);

    // The original came first: checking it again later does not flag it for the copy.
    await app.core.photos.runCheck(
      { photoId: first.body.id },
      { jobId: 'recheck-original', heartbeat: async () => undefined },
    );
    const recheckedOriginal = (await alice.get(`/api/seller/photos/${first.body.id}`)).body;
    expect(recheckedOriginal).toMatchObject({ status: 'pass', checks: 2, duplicates: [] });
  });

  it('lets support approve a photo from the queue (shoppers then see it) and reject one', async () => {
    const { productId, photo } = await verdictOf('watermark');
    expect((await alice.get('/api/support/photos/review')).status).toBe(403);
    const queue = (await support.get('/api/support/photos/review')).body;
    const queued = queue.items.find((p) => p.id === photo.id);
    if (photo.status === 'needs_review') {
      expect(queued).toBeTruthy();
      expect(queued!.findings!.text.boxes.length).toBeGreaterThan(0);
    }
    expect(
      (await alice.post(`/api/support/photos/${photo.id}/review`, { decision: 'approved' })).status,
    ).toBe(403);
    const bad = await support.post(`/api/support/photos/${photo.id}/review`, { decision: 'maybe' });
    expect(bad.status).toBe(422);
    const approved = await support.post(`/api/support/photos/${photo.id}/review`, {
      decision: 'approved',
      note: 'Shop name is acceptable here',
    });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ public: true, review: { decision: 'approved' } });
    expect((await support.get('/api/support/photos/review')).body.items.map((p) => p.id)).not.toContain(
      photo.id,
    );
    expect((await new ApiClient(app.url).get(`/api/products/${productId}`)).body.imageUrls).toEqual([
      photo.urls!.large,
    ]);
    expect((await fetchAs(null, photo.urls!.large)).res.status).toBe(200);

    // Support may also take a passed photo down.
    const clean = await verdictOf('clean');
    const rejected = await support.post(`/api/support/photos/${clean.photo.id}/review`, {
      decision: 'rejected',
    });
    expect(rejected.body).toMatchObject({ public: false, status: 'pass', review: { decision: 'rejected' } });
    const page = (await new ApiClient(app.url).get(`/api/products/${clean.productId}`)).body;
    expect(page.imageUrls[0]).toMatch(/^\/media\/placeholder\//);

    // A rejected photo cannot become the main image again once another photo is.
    const other = (await uploadPhoto(alice, clean.productId, await renderSvg(giftBoxSvg(800)))).body;
    await checked(alice, other.id);
    const main = `/api/seller/products/${clean.productId}/photos/main`;
    expect((await alice.put(main, { photoId: other.id })).status).toBe(200);
    const refused = await alice.put(main, { photoId: clean.photo.id });
    expect(refused.status).toBe(409);
    expect(refused.error.fields[0].field).toBe('body.photoId');
    expect((await alice.get(`/api/seller/products/${clean.productId}/photos`)).body.mainPhotoId).toBe(
      other.id,
    );
  });

  it('lets the seller choose the main image, re-checking both, and delete a photo', async () => {
    const productId = await createProduct(alice, CATEGORY, 'Two photos');
    const first = (await uploadPhoto(alice, productId, await productPhoto(800))).body;
    const second = (await uploadPhoto(alice, productId, await renderSvg(giftBoxSvg(800)))).body;
    expect(first.main).toBe(true);
    expect(second.main).toBe(false);
    await checked(alice, first.id);
    const before = await checked(alice, second.id);
    expect(before.checks).toBe(1);

    const chosen = await alice.put(`/api/seller/products/${productId}/photos/main`, { photoId: second.id });
    expect(chosen.status).toBe(200);
    expect(chosen.body.mainPhotoId).toBe(second.id);
    const rechecked = await waitFor(async () => {
      const p = (await alice.get(`/api/seller/photos/${second.id}`)).body;
      return p.checks === 2 ? p : null;
    }, 180_000);
    expect(rechecked.main).toBe(true);
    expect(
      (await alice.put(`/api/seller/products/${productId}/photos/main`, { photoId: 'pho_nope' })).status,
    ).toBe(422);

    expect((await alice.delete(`/api/seller/photos/${second.id}`)).status).toBe(204);
    const after = (await alice.get(`/api/seller/products/${productId}/photos`)).body;
    expect(after.items.map((p) => p.id)).toEqual([first.id]);
    expect(after.mainPhotoId).toBe(first.id);
    expect((await fetchAs(alice, rechecked.urls!.medium)).res.status).toBe(404);
    expect((await alice.get(`/api/seller/photos/${second.id}`)).status).toBe(404);
  });
});
