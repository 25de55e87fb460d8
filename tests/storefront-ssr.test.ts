import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from './support/client';
import { startTestApp, type TestApp } from './support/app';
import { adminOf, registerSeller, uniqueName, type SignedIn } from './support/accounts';
import { assertUiBuilt } from './support/browser';
import { leafCategory } from './support/commerce';

/**
 * The storefront's public pages rendered on the server (SvelteKit inside the Koa app): what a crawler or a
 * browser without JavaScript gets in the HTML itself, in both languages, and real statuses for products
 * that do not exist, were deleted or are off sale.
 */

let app: TestApp;
let seller: SignedIn;
let categoryId: string;

beforeAll(async () => {
  assertUiBuilt();
  app = await startTestApp({ products: 3 });
  seller = await registerSeller(app, { shopName: uniqueName('SSR Shop') });
  categoryId = await leafCategory(seller);
});

afterAll(async () => {
  await app?.close();
});

async function createProduct(name: string, nameZh: string, price: number): Promise<string> {
  const res = await seller.post('/api/products', {
    name,
    nameZh,
    description: `${name}, described for the test.`,
    descriptionZh: `${nameZh}的说明。`,
    categoryId,
    variants: [{ sku: uniqueName('SSR').toUpperCase(), title: 'Standard', price, stock: 7 }],
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id;
}

/** The product page's own path, `/p/<urlHandle>` (`/p/<id>` answers 301 to it). */
async function pathOf(id: string): Promise<string> {
  const handle = (await seller.get(`/api/products/${id}`)).body.urlHandle;
  expect(handle).toMatch(/^[a-z0-9-]+$/);
  return `/p/${handle}`;
}

async function page(path: string, headers: Record<string, string> = {}) {
  const res = await fetch(app.url + path, { headers });
  return { status: res.status, type: res.headers.get('content-type') ?? '', html: await res.text() };
}

/** Every JSON-LD block of a page, parsed (shapes checked by the assertions that read them). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed JSON
const jsonLdOf = (html: string): Record<string, any>[] =>
  [...html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)].map((m) =>
    JSON.parse(m[1]!),
  );
const metaOf = (html: string, attr: 'name' | 'property', key: string) =>
  new RegExp(`<meta ${attr}="${key.replace('+', '\\+')}" content="([^"]*)"`).exec(html)?.[1];
/** An attribute value as the browser reads it (the HTML escapes `&` in URLs). */
const unescapeAttribute = (value: string | undefined) => value?.replaceAll('&amp;', '&');
const linkOf = (html: string, rel: string, extra = '') =>
  unescapeAttribute(new RegExp(`<link rel="${rel}"${extra} href="([^"]*)"`).exec(html)?.[1]);
const htmlLangOf = (html: string) => /<html lang="([^"]+)"/.exec(html)?.[1];
const titleOf = (html: string) => /<title>([^<]*)<\/title>/.exec(html)?.[1];
const productNameOf = (html: string) => /<h1 data-testid="product-name"[^>]*>([^<]*)</.exec(html)?.[1];

describe('a product page rendered on the server', () => {
  it('has the name, price and description in the HTML, in English and in Chinese', async () => {
    const id = await createProduct('Server Rendered Teapot', '服务端渲染茶壶', 12_345);

    const en = await page(`/p/${id}?lang=en`);
    expect(en.status).toBe(200);
    expect(en.type).toMatch(/text\/html/);
    expect(htmlLangOf(en.html)).toBe('en');
    expect(titleOf(en.html)).toContain('Server Rendered Teapot');
    expect(productNameOf(en.html)).toBe('Server Rendered Teapot');
    expect(en.html).toContain('¥123.45');
    expect(en.html).toContain('Server Rendered Teapot, described for the test.');

    const zh = await page(`/p/${id}?lang=zh`);
    expect(zh.status).toBe(200);
    expect(htmlLangOf(zh.html)).toBe('zh-CN');
    expect(productNameOf(zh.html)).toBe('服务端渲染茶壶');
    expect(zh.html).toContain('服务端渲染茶壶的说明。');
    expect(zh.html).toContain('¥123.45');
  });

  it('takes the language from ?lang=, else the saved choice, else Accept-Language', async () => {
    const id = await createProduct('Language Kettle', '语言水壶', 5_000);
    const name = productNameOf;

    expect(name((await page(`/p/${id}`, { 'accept-language': 'zh-CN,zh;q=0.9' })).html)).toBe('语言水壶');
    expect(name((await page(`/p/${id}`, { 'accept-language': 'en-US,en;q=0.9' })).html)).toBe(
      'Language Kettle',
    );
    const saved = await page(`/p/${id}`, { 'accept-language': 'en-US', cookie: 'bazaar.lang=zh' });
    expect(htmlLangOf(saved.html)).toBe('zh-CN');
    const query = await page(`/p/${id}?lang=en`, { 'accept-language': 'zh-CN', cookie: 'bazaar.lang=zh' });
    expect(name(query.html)).toBe('Language Kettle');
  });

  it('answers 404 for an unknown product and 410 for a deleted one, with the not-found page', async () => {
    const unknown = await page('/p/no-such-product?lang=en');
    expect(unknown.status).toBe(404);
    expect(unknown.type).toMatch(/text\/html/);
    expect(unknown.html).toContain('data-testid="empty-state"');

    const id = await createProduct('Soon Deleted Lamp', '即将删除的灯', 9_900);
    expect((await page(`/p/${id}`)).status).toBe(200);
    expect((await seller.delete(`/api/products/${id}`)).status).toBe(204);
    const gone = await page(`/p/${id}?lang=en`);
    expect(gone.status).toBe(410);
    expect(gone.type).toMatch(/text\/html/);
    expect(gone.html).not.toContain('Soon Deleted Lamp');
  });

  it('hides a taken-down product as the API does (404), and shows it again once reinstated', async () => {
    const id = await createProduct('Disputed Vase', '有争议的花瓶', 20_000);
    const admin = await adminOf(app);
    const down = await admin.post(`/api/admin/products/${id}/takedown`, { reason: 'Counterfeit report' });
    expect(down.status, JSON.stringify(down.body)).toBe(200);
    expect((await page(`/p/${id}`)).status).toBe(404);
    expect((await admin.post(`/api/admin/products/${id}/reinstate`, {})).status).toBe(200);
    expect((await page(`/p/${id}?lang=en`)).html).toContain('Disputed Vase');
  });
});

describe('catalog pages rendered on the server', () => {
  it('lists the category, shop and home grids in the HTML, and 404s an unknown category or shop', async () => {
    const id = await createProduct('Grid Listed Mug', '网格马克杯', 3_300);
    // The listing read model follows product events; wait until the API lists the new product.
    await expect
      .poll(async () =>
        (await seller.get(`/api/products?category=${categoryId}&limit=100`)).body.items.some(
          (p) => p.id === id,
        ),
      )
      .toBe(true);

    const category = await page(`/c/${categoryId}?lang=en&sort=newest`);
    expect(category.status).toBe(200);
    expect(category.html).toContain('data-testid="product-grid"');
    expect(category.html).toContain(`href="${await pathOf(id)}"`);
    expect(category.html).toContain('Grid Listed Mug');

    const shopId = (await seller.get(`/api/products/${id}`)).body.shop.id;
    const shop = await page(`/shop/${shopId}?lang=zh`);
    expect(shop.status).toBe(200);
    expect(htmlLangOf(shop.html)).toBe('zh-CN');
    expect(shop.html).toContain('网格马克杯');

    // The "hot now" strip is in the home page's HTML too, as the rankings API gives it (nothing read
    // the hot list before, so no empty list is cached).
    for (let k = 0; k < 3; k++) {
      await new ApiClient(app.url).post('/api/events', { events: [{ type: 'view', productId: id }] });
    }
    await app.recs.settled();
    const hot = (await seller.get('/api/rankings/hot?limit=6')).body.items.map((i) => i.product.id);
    expect(hot).toContain(id);
    const home = await page('/?lang=en&sort=newest');
    expect(home.status).toBe(200);
    expect(home.html).toContain('Grid Listed Mug');
    expect(home.html).toContain('data-testid="recs-hot"');
    const strip = home.html.slice(home.html.indexOf('data-testid="recs-hot"'));
    expect(strip).toContain(`href="${await pathOf(id)}"`);

    expect((await page('/c/no-such-category')).status).toBe(404);
    expect((await page('/shop/no-such-shop')).status).toBe(404);
  });
});

describe('search results rendered on the server', () => {
  it('has the hits for the URL in the HTML, with the count the API gives', async () => {
    const id = await createProduct('Quartzite Espresso Tamper', '石英咖啡压粉器', 8_800);
    await expect
      .poll(async () =>
        (await seller.get('/api/search?q=quartzite')).body.hits.some((h) => h.document.id === id),
      )
      .toBe(true);
    const api = (await seller.get('/api/search?q=quartzite')).body;

    const results = await page('/search?q=quartzite&lang=en');
    expect(results.status).toBe(200);
    expect(titleOf(results.html)).toContain('quartzite');
    expect(results.html).toContain(`href="${await pathOf(id)}"`);
    expect(/data-testid="search-count"[^>]*data-total="(\d+)"/.exec(results.html)?.[1]).toBe(
      String(api.total),
    );
    // The header's box holds the query before the page hydrates.
    expect(/<input[^>]*data-testid="search-input"[^>]*>/.exec(results.html)?.[0]).toContain(
      'value="quartzite"',
    );

    // A malformed filter is dropped, as the page drops it in the browser; the search still renders.
    const lenient = await page('/search?q=quartzite&rating=9&lang=en');
    expect(lenient.status).toBe(200);
    expect(lenient.html).toContain(`href="${await pathOf(id)}"`);
  });
});

describe('what search engines read', () => {
  it('gives a product page JSON-LD with the price, currency, live availability and breadcrumbs', async () => {
    const id = await createProduct('Structured Data Kettle', '结构化数据水壶', 15_990);
    const first = await page(`/p/${id}?lang=en`);
    const [product, breadcrumbs] = jsonLdOf(first.html);
    expect(product).toMatchObject({
      '@context': 'https://schema.org',
      '@type': 'Product',
      name: 'Structured Data Kettle',
      description: 'Structured Data Kettle, described for the test.',
      offers: {
        '@type': 'Offer',
        price: '159.90',
        priceCurrency: 'CNY',
        availability: 'https://schema.org/InStock',
        url: `${app.url}${await pathOf(id)}?lang=en`,
      },
    });
    // No reviews yet: no AggregateRating (one with zero reviews is invalid).
    expect(product!.aggregateRating).toBeUndefined();
    expect(breadcrumbs!['@type']).toBe('BreadcrumbList');
    const crumbs = breadcrumbs!.itemListElement as { position: number; item: string; name: string }[];
    expect(crumbs[0]).toMatchObject({ position: 1, item: `${app.url}/` });
    expect(crumbs.at(-1)).toMatchObject({
      name: 'Structured Data Kettle',
      item: `${app.url}${await pathOf(id)}`,
    });

    // Sold out: the very next request says so.
    const sku = (await seller.get(`/api/products/${id}`)).body.variants[0]!.sku;
    expect((await seller.put(`/api/products/${id}/variants/${sku}/stock`, { available: 0 })).status).toBe(
      200,
    );
    const after = jsonLdOf((await page(`/p/${id}?lang=en`)).html)[0]!;
    expect(after.offers.availability).toBe('https://schema.org/OutOfStock');

    const zh = jsonLdOf((await page(`/p/${id}?lang=zh`)).html)[0]!;
    expect(zh.name).toBe('结构化数据水壶');
  });

  it('gives each page a title, description, canonical URL, hreflang alternates and social cards', async () => {
    const id = await createProduct('Meta Tag Wok', '元标签炒锅', 6_600);
    const { html } = await page(`/p/${id}?lang=en&utm_source=test`);
    const path = await pathOf(id);
    expect(titleOf(html)).toBe('Meta Tag Wok · 集市 Bazaar');
    expect(metaOf(html, 'name', 'description')).toBe('Meta Tag Wok, described for the test.');
    expect(linkOf(html, 'canonical')).toBe(`${app.url}${path}?lang=en`);
    expect(linkOf(html, 'alternate', ' hreflang="zh-CN"')).toBe(`${app.url}${path}?lang=zh`);
    expect(linkOf(html, 'alternate', ' hreflang="en"')).toBe(`${app.url}${path}?lang=en`);
    expect(linkOf(html, 'alternate', ' hreflang="x-default"')).toBe(`${app.url}${path}`);
    expect(metaOf(html, 'property', 'og:type')).toBe('product');
    expect(metaOf(html, 'property', 'og:title')).toBe('Meta Tag Wok');
    expect(metaOf(html, 'property', 'og:url')).toBe(`${app.url}${path}?lang=en`);
    expect(metaOf(html, 'property', 'og:image')).toMatch(new RegExp(`^${app.url}/media/`));
    expect(metaOf(html, 'name', 'twitter:card')).toBe('summary_large_image');

    const home = (await page('/?lang=zh')).html;
    const [organization, website] = jsonLdOf(home);
    expect(organization!['@type']).toBe('Organization');
    expect(website).toMatchObject({
      '@type': 'WebSite',
      potentialAction: {
        '@type': 'SearchAction',
        target: { urlTemplate: `${app.url}/search?q={search_term_string}` },
      },
    });

    const category = (await page(`/c/${categoryId}?lang=en&sort=newest`)).html;
    expect(linkOf(category, 'canonical')).toBe(`${app.url}/c/${categoryId}?lang=en`);
    // The grid's ItemList names the cards shown (the listing picks the new product up from its event).
    const listedUrls = async () => {
      const html = (await page(`/c/${categoryId}?lang=en&sort=newest`)).html;
      const itemList = jsonLdOf(html).find((d) => d['@type'] === 'ItemList');
      return (itemList?.itemListElement as { url: string }[] | undefined)?.map((i) => i.url) ?? [];
    };
    await expect.poll(listedUrls).toContain(`${app.url}${path}`);

    const search = (await page('/search?q=wok&sort=price_asc&lang=en')).html;
    expect(linkOf(search, 'canonical')).toBe(`${app.url}/search?q=wok&lang=en`);

    // Without ?lang= the page serves the visitor's language: it is its own canonical, the x-default.
    const negotiated = (await page(`/p/${id}?utm_source=test`, { 'accept-language': 'en-US' })).html;
    expect(htmlLangOf(negotiated)).toBe('en');
    // (The id URL answered 301 to the handle URL, which fetch followed.)
    expect(linkOf(negotiated, 'canonical')).toBe(`${app.url}${path}`);
    expect(metaOf(negotiated, 'property', 'og:url')).toBe(`${app.url}${path}`);
    expect(jsonLdOf(negotiated)[0]!.offers.url).toBe(`${app.url}${path}`);
    expect(linkOf(negotiated, 'alternate', ' hreflang="en"')).toBe(`${app.url}${path}?lang=en`);
    const negotiatedHome = (await page('/', { 'accept-language': 'zh-CN' })).html;
    expect(linkOf(negotiatedHome, 'canonical')).toBe(`${app.url}/`);
  });

  it("inlines the page's stylesheets and admits exactly them, by hash, in the page policy", async () => {
    const res = await fetch(`${app.url}/?lang=en`);
    const policy = res.headers.get('content-security-policy') ?? '';
    const html = await res.text();
    const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]!);
    expect(styles.length).toBeGreaterThan(0);
    expect(styles.join('')).toContain('.site-main');
    const styleSrc = policy.split(';').find((d) => d.trim().startsWith('style-src '))!;
    for (const css of styles) {
      expect(styleSrc).toContain(`'sha256-${createHash('sha256').update(css).digest('base64')}'`);
    }
    expect(styleSrc).not.toContain('unsafe-inline');
    // The stylesheet links stay for client-side navigation, switched off so they block no paint.
    for (const link of html.matchAll(/<link [^>]*rel="stylesheet"[^>]*>/g)) {
      expect(link[0]).toMatch(/disabled media="\(max-width: 0\)"/);
    }
  });

  it('serves robots.txt that keeps crawlers to the public pages', async () => {
    const res = await fetch(`${app.url}/robots.txt`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/plain/);
    const lines = (await res.text()).split('\n');
    expect(lines).toContain('User-agent: *');
    for (const path of ['/api/', '/cart', '/checkout', '/orders', '/admin', '/seller']) {
      expect(lines).toContain(`Disallow: ${path}`);
    }
    expect(lines.some((l) => l === 'Disallow: /p/' || l === 'Disallow: /c/' || l === 'Disallow: /')).toBe(
      false,
    );
  });
});

describe('HTTP caching of server-rendered pages', () => {
  it('gives anonymous pages an ETag and 304s a repeat, and a new ETag once the stock changes', async () => {
    const id = await createProduct('Cacheable Bowl', '可缓存的碗', 2_500);
    const url = `${app.url}/p/${id}?lang=en`;
    const first = await fetch(url);
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(first.headers.get('cache-control')).toMatch(/stale-while-revalidate=\d+/);
    expect(first.headers.get('cache-control')).toMatch(/^public/);
    expect(first.headers.get('vary')).toMatch(/Accept-Language/);
    await first.text();

    const again = await fetch(url, { headers: { 'if-none-match': etag! } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');

    const sku = (await seller.get(`/api/products/${id}`)).body.variants[0]!.sku;
    expect((await seller.put(`/api/products/${id}/variants/${sku}/stock`, { available: 0 })).status).toBe(
      200,
    );
    const changed = await fetch(url, { headers: { 'if-none-match': etag! } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    expect(jsonLdOf(await changed.text())[0]!.offers.availability).toBe('https://schema.org/OutOfStock');
  });

  it('compresses pages with brotli or gzip as the browser accepts, each with its own ETag and 304', async () => {
    const id = await createProduct('Compressed Ladle', '压缩汤勺', 1_800);
    const url = `${app.url}/p/${id}?lang=en`;
    const plain = await fetch(url, { headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers.get('content-encoding')).toBeNull();
    const plainEtag = plain.headers.get('etag')!;
    const plainLength = Number(plain.headers.get('content-length'));
    const html = await plain.text();
    expect(html.length).toBeGreaterThan(5_000);

    for (const [accept, encoding] of [
      ['gzip, deflate, br', 'br'],
      ['gzip;q=1, br;q=0', 'gzip'],
    ] as const) {
      const res = await fetch(url, { headers: { 'accept-encoding': accept } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-encoding')).toBe(encoding);
      expect(res.headers.get('vary')).toMatch(/Accept-Encoding/);
      expect(Number(res.headers.get('content-length'))).toBeLessThan(plainLength / 2);
      const etag = res.headers.get('etag')!;
      expect(etag).toBe(`${plainEtag.slice(0, -1)}-${encoding}"`);
      // fetch decodes the body: the same page as the uncompressed one.
      expect(await res.text()).toBe(html);

      const again = await fetch(url, { headers: { 'accept-encoding': accept, 'if-none-match': etag } });
      expect(again.status).toBe(304);
      expect(again.headers.get('etag')).toBe(etag);
      await again.text();
    }
    // Another representation's ETag is no match.
    const other = await fetch(url, { headers: { 'accept-encoding': 'br', 'if-none-match': plainEtag } });
    expect(other.status).toBe(200);
    await other.text();
  });

  it("keeps a signed-in visitor's pages private", async () => {
    const res = await fetch(`${app.url}/?lang=en`, { headers: { cookie: seller.cookieHeader() } });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    expect(res.headers.get('etag')).toBeNull();
  });
});

describe('the sitemap', () => {
  let small: TestApp;
  beforeAll(async () => {
    // Three products per file, so a handful of products spans several files.
    small = await startTestApp({ products: 7, env: { SITEMAP_CHUNK_SIZE: '3' } });
  });
  afterAll(async () => {
    await small?.close();
  });

  const locsOf = (xml: string) =>
    [...xml.matchAll(/<loc>([^<]*)<\/loc>/g)].map((m) => m[1]!.replaceAll('&amp;', '&'));

  /** Every product URL across the index's product files, with each file's size. */
  async function productUrls(): Promise<{ urls: string[]; fileSizes: number[]; lastmods: number }> {
    const index = await fetch(`${small.url}/sitemap.xml`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toMatch(/application\/xml/);
    const indexXml = await index.text();
    expect(indexXml).toContain('<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">');
    const files = locsOf(indexXml);
    expect(files[0]).toBe(`${small.url}/sitemaps/pages.xml`);
    const urls: string[] = [];
    const fileSizes: number[] = [];
    let lastmods = 0;
    for (const file of files.slice(1)) {
      const xml = await (await fetch(file)).text();
      const locs = locsOf(xml);
      fileSizes.push(locs.length);
      urls.push(...locs);
      lastmods += [...xml.matchAll(/<lastmod>\d{4}-\d\d-\d\dT[^<]+<\/lastmod>/g)].length;
    }
    return { urls, fileSizes, lastmods };
  }

  it('lists every product on sale exactly once, by its handle URL, across files of at most the chunk size, and drops a deleted one', async () => {
    const own = await registerSeller(small, { shopName: uniqueName('Sitemap Shop') });
    const category = await leafCategory(own);
    const created: string[] = [];
    for (const name of ['Sitemap Lamp', 'Sitemap Rug']) {
      const res = await own.post('/api/products', {
        name,
        categoryId: category,
        variants: [{ sku: uniqueName('MAP').toUpperCase(), title: 'Standard', price: 1_000, stock: 1 }],
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      created.push(res.body.id);
    }
    // 7 + 2 = 9 products: three full files, and no empty fourth.
    const ids = [...small.catalog!.products.map((p) => p.id), ...created];
    // Each product under its URL handle, as its page's canonical URL.
    const handles = new Map<string, string>();
    for (const id of ids) handles.set(id, (await own.get(`/api/products/${id}`)).body.urlHandle!);
    const urlOf = (id: string) => `${small.url}/p/${handles.get(id)}`;
    const before = await productUrls();
    expect(before.fileSizes).toEqual([3, 3, 3]);
    expect([...before.urls].sort()).toEqual(ids.map(urlOf).sort());
    expect(before.lastmods).toBe(ids.length);

    const pages = locsOf(await (await fetch(`${small.url}/sitemaps/pages.xml`)).text());
    expect(pages[0]).toBe(`${small.url}/`);
    expect(pages.some((loc) => loc.startsWith(`${small.url}/c/`))).toBe(true);

    // The seller deletes one: the next read of the sitemap no longer lists it, and lists the rest once.
    expect((await own.delete(`/api/products/${created[0]}`)).status).toBe(204);
    const after = await productUrls();
    expect([...after.urls].sort()).toEqual(
      ids
        .filter((id) => id !== created[0])
        .map(urlOf)
        .sort(),
    );
    expect(Math.max(...after.fileSizes)).toBeLessThanOrEqual(3);

    // Taken down by staff: off sale, so out of the sitemap as its page is out of reach (404).
    const admin = await adminOf(small);
    const down = await admin.post(`/api/admin/products/${created[1]}/takedown`, {
      reason: 'Listing under review',
    });
    expect(down.status, JSON.stringify(down.body)).toBe(200);
    expect((await productUrls()).urls).not.toContain(urlOf(created[1]!));

    const robots = await (await fetch(`${small.url}/robots.txt`)).text();
    expect(robots).toContain(`Sitemap: ${small.url}/sitemap.xml`);
  });
});
