import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, type Response } from '../../../tests/support/client';
import { spawnSecondNode, startTestApp, type TestApp } from '../../../tests/support/app';
import { registerUser, staffAccount } from '../../../tests/support/accounts';
import { checkout, leafCategory, pay, stockedProduct } from '../../../tests/support/commerce';
import { waitFor, type AppProcess } from '../../../tests/support/process';
import type { ReviewPage } from '../wire';

const SECRET = randomBytes(32).toString('hex');

type Client = Awaited<ReturnType<typeof registerUser>>;

let app: TestApp;
/** A second app process on the same database: the rating aggregate must not rely on in-process locks. */
let second: AppProcess;
let category: string;
let seller: Client;
let otherSeller: Client;
let support: ApiClient;

beforeAll(async () => {
  app = await startTestApp({ products: 12, env: { SESSION_SECRET: SECRET } });
  second = await spawnSecondNode(app, {
    SESSION_SECRET: SECRET,
  });
  seller = await registerUser(app, 'seller');
  otherSeller = await registerUser(app, 'seller');
  category = await leafCategory(seller);
  support = await staffAccount(app, 'support', { name: 'Sam' });
});
afterAll(async () => {
  second?.child.kill('SIGTERM');
  await second?.exited;
  if (app) rmSync(app.config.dataDir + '-second', { recursive: true, force: true });
  await app?.close();
});

/** `client`'s session, talking to the second app process. */
function viaSecondProcess(client: Client) {
  const other = new ApiClient(second.url);
  other.csrfToken = client.csrfToken;
  return {
    post: (path: string, json: unknown) =>
      other.request('POST', path, { json, headers: { cookie: client.cookieHeader() } }),
  };
}

/** A paid order of one unit of `sku` by `shopper`, returning its id. */
async function paidOrder(shopper: Client, sku: string): Promise<string> {
  expect((await shopper.post('/api/cart/lines', { sku, qty: 1 })).status).toBe(200);
  const placed = await checkout(shopper);
  expect(placed.status).toBe(201);
  await pay(shopper, placed.body);
  return placed.body.orders[0]!.id as string;
}

/** Drives a paid order to delivered over the API, as its seller. */
async function deliver(orderId: string, by: Client = seller): Promise<void> {
  expect((await by.post(`/api/orders/${orderId}/accept`)).status).toBe(200);
  const shipped = await by.post(`/api/orders/${orderId}/ship`, {
    carrier: 'SF Express',
    trackingNumber: `SF${Date.now()}`,
  });
  expect(shipped.status).toBe(200);
  expect((await by.post(`/api/orders/${orderId}/deliver`)).status).toBe(200);
}

async function deliveredBuyer(sku: string) {
  const shopper = await registerUser(app.url);
  const orderId = await paidOrder(shopper, sku);
  await deliver(orderId);
  return { shopper, orderId };
}

const reviewsOf = async (productId: string, as: ApiClient = new ApiClient(app.url)) =>
  (await as.get(`/api/products/${productId}/reviews?limit=50`)).body;

describe('writing a review', () => {
  it('lets only the buyer of a delivered order review its product, once', async () => {
    const item = await stockedProduct(seller, { stock: 10, categoryId: category });
    const shopper = await registerUser(app.url);
    const orderId = await paidOrder(shopper, item.sku);
    const review = { orderId, rating: 4, title: 'Solid', body: 'Does what it says.' };
    const url = `/api/products/${item.productId}/reviews` as const;

    const early = await shopper.post(url, review);
    expect(early.status).toBe(422);
    expect(early.error.fields[0].field).toBe('body.orderId');

    await deliver(orderId);
    expect((await new ApiClient(app.url).post(url, review)).status).toBe(401);
    const stranger = await registerUser(app.url);
    expect((await stranger.post(url, review)).status).toBe(403);
    const other = await stockedProduct(seller, { stock: 10, categoryId: category });
    const wrongProduct = await shopper.post(`/api/products/${other.productId}/reviews`, review);
    expect(wrongProduct.status).toBe(422);
    expect(wrongProduct.error.fields[0].field).toBe('body.orderId');

    const reviewable = (await shopper.get('/api/me/reviewable')).body.items;
    expect(reviewable).toEqual([
      expect.objectContaining({ orderId, productId: item.productId, name: `Test item ${item.sku}` }),
    ]);
    expect((await shopper.get(`/api/me/reviewable?orderId=${orderId}`)).body.items).toHaveLength(1);

    const created = await shopper.post(url, review);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      rating: 4,
      title: 'Solid',
      body: 'Does what it says.',
      variantTitle: 'Standard',
      authorName: shopper.user.email.split('@')[0],
      mine: true,
      hidden: false,
      reply: null,
    });
    const again = await shopper.post(url, { ...review, rating: 1 });
    expect(again.status).toBe(409);
    expect(again.error.message).toMatch(/already reviewed/);
    expect((await shopper.get('/api/me/reviewable')).body.items).toEqual([]);

    const page = await reviewsOf(item.productId);
    expect(page.summary).toEqual({
      average: 4,
      count: 1,
      histogram: { '1': 0, '2': 0, '3': 0, '4': 1, '5': 0 },
    });
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({ title: 'Solid', mine: false });
    expect(page.items[0]).not.toHaveProperty('buyerId');
    const product = (await new ApiClient(app.url).get(`/api/products/${item.productId}`)).body;
    expect(product.rating).toEqual({ average: 4, count: 1 });
    // Search follows: the product now counts under "4 stars and up".
    const rated = async () =>
      (await new ApiClient(app.url).get(`/api/search?q=${encodeURIComponent(item.sku)}&rating=4`)).body;
    await waitFor(
      async () => (await rated()).hits?.some((h) => h.id === item.productId),
      20_000,
      'rated in search',
    );
  });

  it('names every bad field with 422', async () => {
    const item = await stockedProduct(seller, { stock: 5, categoryId: category });
    const { shopper, orderId } = await deliveredBuyer(item.sku);
    const url = `/api/products/${item.productId}/reviews` as const;
    const fieldsOf = async (body: unknown) => {
      const res = await shopper.post(url, body);
      expect(res.status).toBe(422);
      return res.error.fields.map((f) => f.field).sort();
    };
    expect(await fieldsOf({ orderId, rating: 6, title: 'x' })).toEqual(['body.rating']);
    expect(await fieldsOf({ orderId, rating: 3.5, title: 'x' })).toEqual(['body.rating']);
    expect(await fieldsOf({ orderId, rating: 3, title: '   ' })).toEqual(['body.title']);
    expect(await fieldsOf({ orderId, rating: 3, title: 'x'.repeat(121) })).toEqual(['body.title']);
    expect(await fieldsOf({ orderId, rating: 3, title: 'x', body: 'y'.repeat(2001) })).toEqual(['body.body']);
    expect(await fieldsOf({ rating: 3, title: 'x' })).toEqual(['body.orderId']);
    expect(await fieldsOf({ orderId, rating: 3, title: 'x', stars: 5 })).toEqual(['body']);
    expect(await fieldsOf({ orderId: 'ord_nope', rating: 3, title: 'x' })).toEqual(['body.orderId']);
    const page = await shopper.get(`/api/products/${item.productId}/reviews?limit=500`);
    expect(page.status).toBe(422);
    expect(page.error.fields[0].field).toBe('query.limit');
    expect((await shopper.get(`/api/products/${item.productId}/reviews?cursor=nope`)).status).toBe(422);
    expect((await shopper.get('/api/products/prd_missing/reviews')).status).toBe(404);
    // Nothing was stored by the refused attempts.
    expect((await reviewsOf(item.productId)).summary.count).toBe(0);
  });

  it('keeps the aggregate exact under 20 concurrent reviews of one product by 20 buyers on two app processes', async () => {
    const item = await stockedProduct(seller, { stock: 40, categoryId: category });
    const buyers = await Promise.all(Array.from({ length: 20 }, () => deliveredBuyer(item.sku)));
    const ratings = buyers.map((_, i) => (i % 5) + 1);
    const results = await Promise.all(
      buyers.map(({ shopper, orderId }, i) =>
        (i % 2 ? viaSecondProcess(shopper) : shopper).post(`/api/products/${item.productId}/reviews`, {
          orderId,
          rating: ratings[i],
          title: `Review ${i}`,
        }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(201));
    const page = await reviewsOf(item.productId);
    expect(page.summary).toEqual({
      average: 3,
      count: 20,
      histogram: { '1': 4, '2': 4, '3': 4, '4': 4, '5': 4 },
    });
    expect(page.items).toHaveLength(20);

    // Pages of 7 walk every review exactly once, newest first.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: Response<ReviewPage> = await new ApiClient(app.url).get(
        `/api/products/${item.productId}/reviews?limit=7${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((r) => r.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(page.items.map((r) => r.id));
    const times = page.items.map((r) => Date.parse(r.createdAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });
});

describe('API document', () => {
  it('describes the reviews routes', async () => {
    const doc = (await new ApiClient(app.url).get('/api/openapi.json')).body;
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/products/{id}/reviews',
        '/api/reviews/{id}/reply',
        '/api/reviews/{id}/hide',
        '/api/reviews/{id}/unhide',
        '/api/me/reviewable',
        '/api/support/reviews',
      ]),
    );
    expect(doc.components.schemas.ProductDetail?.properties.rating).toBeDefined();
  });
});

describe('replies and moderation', () => {
  let item: { sku: string; productId: string };
  let author: Client;
  let reviewId: string;

  beforeAll(async () => {
    item = await stockedProduct(seller, { stock: 10, categoryId: category });
    const first = await deliveredBuyer(item.sku);
    author = first.shopper;
    const created = await author.post(`/api/products/${item.productId}/reviews`, {
      orderId: first.orderId,
      rating: 1,
      title: 'Broke in a day',
      body: 'Rude words here.',
    });
    reviewId = created.body.id;
    const second = await deliveredBuyer(item.sku);
    await second.shopper.post(`/api/products/${item.productId}/reviews`, {
      orderId: second.orderId,
      rating: 5,
      title: 'Love it',
    });
  });

  it("lets only the product's seller reply, and edit the reply", async () => {
    const url = `/api/reviews/${encodeURIComponent(reviewId)}/reply` as const;
    expect((await otherSeller.put(url, { body: 'Not my product' })).status).toBe(403);
    expect((await author.put(url, { body: 'Replying to myself' })).status).toBe(403);
    expect((await support.put(url, { body: 'Support speaking' })).status).toBe(403);
    const empty = await seller.put(url, { body: ' ' });
    expect(empty.status).toBe(422);
    expect(empty.error.fields[0].field).toBe('body.body');
    expect((await seller.put(url, { body: 'Sorry!', extra: 1 })).status).toBe(422);

    const first = await seller.put(url, { body: 'Sorry, we will replace it.' });
    expect(first.status).toBe(200);
    expect(first.body.reply?.body).toBe('Sorry, we will replace it.');
    const edited = await seller.put(url, { body: 'Sorry! A replacement is on its way.' });
    expect(edited.body.reply?.body).toBe('Sorry! A replacement is on its way.');
    const shown = (await reviewsOf(item.productId)).items.find((r) => r.id === reviewId);
    expect(shown?.reply).toMatchObject({ body: 'Sorry! A replacement is on its way.' });
    expect((await seller.put('/api/reviews/usr_x:prd_y/reply', { body: 'hi' })).status).toBe(404);
  });

  it('lets support hide and unhide, which takes the review out of lists and the summary and back', async () => {
    const hideUrl = `/api/reviews/${encodeURIComponent(reviewId)}/hide` as const;
    const unhideUrl = `/api/reviews/${encodeURIComponent(reviewId)}/unhide` as const;
    expect((await reviewsOf(item.productId)).summary).toMatchObject({ average: 3, count: 2 });

    expect((await author.post(hideUrl, { reason: 'mine' })).status).toBe(403);
    expect((await seller.post(hideUrl, { reason: 'I do not like it' })).status).toBe(403);
    const noReason = await support.post(hideUrl, {});
    expect(noReason.status).toBe(422);
    expect(noReason.error.fields[0].field).toBe('body.reason');

    const hidden = await support.post(hideUrl, { reason: 'Abusive language' });
    expect(hidden.status).toBe(200);
    expect(hidden.body).toMatchObject({ hidden: true, hiddenReason: 'Abusive language' });
    expect((await support.post(hideUrl, { reason: 'again' })).status).toBe(409);

    const publicPage = await reviewsOf(item.productId);
    expect(publicPage.summary).toEqual({
      average: 5,
      count: 1,
      histogram: { '1': 0, '2': 0, '3': 0, '4': 0, '5': 1 },
    });
    expect(publicPage.items.map((r) => r.id)).not.toContain(reviewId);
    expect((await new ApiClient(app.url).get(`/api/products/${item.productId}`)).body.rating).toEqual({
      average: 5,
      count: 1,
    });
    // The author still sees theirs, marked hidden with the reason; support sees it for moderation.
    const own = (await reviewsOf(item.productId, author)).items.find((r) => r.id === reviewId);
    expect(own).toMatchObject({ hidden: true, hiddenReason: 'Abusive language', mine: true });
    const forSupport = (await reviewsOf(item.productId, support)).items.find((r) => r.id === reviewId);
    expect(forSupport).toMatchObject({ hidden: true });
    const sellerView = (await reviewsOf(item.productId, seller)).items.map((r) => r.id);
    expect(sellerView).not.toContain(reviewId);
    expect(
      (await seller.put(`/api/reviews/${encodeURIComponent(reviewId)}/reply`, { body: 'x' })).status,
    ).toBe(409);

    const hiddenList = await support.get('/api/support/reviews?hidden=true');
    expect(hiddenList.status).toBe(200);
    expect(hiddenList.body.items.map((r) => r.id)).toContain(reviewId);
    expect(hiddenList.body.items.every((r) => r.hidden)).toBe(true);
    const visibleList = (await support.get('/api/support/reviews?hidden=false')).body.items;
    expect(visibleList.map((r) => r.id)).not.toContain(reviewId);
    expect((await author.get('/api/support/reviews')).status).toBe(403);
    expect((await support.get('/api/support/reviews?hidden=maybe')).status).toBe(422);

    expect((await author.post(unhideUrl)).status).toBe(403);
    const shown = await support.post(unhideUrl);
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({ hidden: false, hiddenReason: null });
    expect((await support.post(unhideUrl)).status).toBe(409);
    const back = await reviewsOf(item.productId);
    expect(back.summary).toEqual({
      average: 3,
      count: 2,
      histogram: { '1': 1, '2': 0, '3': 0, '4': 0, '5': 1 },
    });
    expect(back.items.map((r) => r.id)).toContain(reviewId);
  });

  it('counts a review once however often hide and unhide race', async () => {
    const hideUrl = `/api/reviews/${encodeURIComponent(reviewId)}/hide` as const;
    const unhideUrl = `/api/reviews/${encodeURIComponent(reviewId)}/unhide` as const;
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        i % 2 ? support.post(unhideUrl) : support.post(hideUrl, { reason: `race ${i}` }),
      ),
    );
    const page = await reviewsOf(item.productId, support);
    const review = page.items.find((r) => r.id === reviewId)!;
    expect(page.summary.count).toBe(review.hidden ? 1 : 2);
    expect(page.summary.histogram['1']).toBe(review.hidden ? 0 : 1);
    if (review.hidden) await support.post(unhideUrl);
    expect((await reviewsOf(item.productId)).summary.count).toBe(2);
  });
});
