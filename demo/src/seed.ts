import { DELIVERY_AREA, type CoreServices, type Logger } from '@market/core';
import { generateDemoCatalog } from './generator';
import { colourOf, productArtSvg, svgDataUrl } from './art';
import type { DemoCatalog, DemoProduct } from './types';

const shopIdOf = (sellerId: string) => sellerId.replace(/^seller/, 'shop');

/**
 * The demo accounts' password, printed at start-up and in the README. The seed creates users through the
 * user service directly, without the password policy: a password published in the README is no secret
 * however strong, so the policy has nothing to protect here (it would accept it anyway: see the test).
 */
export const DEMO_PASSWORD = 'bazaar-demo-2026';

export interface DemoAccount {
  role: string;
  email: string;
  password: string;
  name: string;
}

/** The demo shopper's account id (its history is simulated so "for you" has something to go on). */
export const DEMO_SHOPPER_ID = 'usr_demo_shopper';
/** The demo's admin as the services see an actor: what the seed's platform offers and rules are made by. */
const DEMO_ADMIN = { id: 'usr_demo_admin', roles: ['admin' as const], shopId: null };

const STAFF = [
  { id: 'usr_demo_admin', role: 'admin', email: 'admin@bazaar.test', name: 'Ada Admin' },
  { id: 'usr_demo_support', role: 'support', email: 'support@bazaar.test', name: '苏 Support' },
  { id: 'usr_demo_courier', role: 'courier', email: 'courier@bazaar.test', name: '高 Courier' },
  { id: DEMO_SHOPPER_ID, role: 'shopper', email: 'shopper@bazaar.test', name: '李 Shopper' },
] as const;

/**
 * Couriers beyond the staff one, each starting online somewhere in the delivery area (central Shanghai),
 * so a demo order finds the nearest of several. Sign in as any of them at /courier.
 */
const COURIERS = [
  { id: 'usr_demo_courier', email: 'courier@bazaar.test', name: '高 Courier', district: 'jingan' },
  { id: 'usr_demo_courier02', email: 'courier02@bazaar.test', name: '王 Wang Courier', district: 'lujiazui' },
  { id: 'usr_demo_courier03', email: 'courier03@bazaar.test', name: '陈 Chen Courier', district: 'xuhui' },
  { id: 'usr_demo_courier04', email: 'courier04@bazaar.test', name: '赵 Zhao Courier', district: 'hongkou' },
] as const;

const BATCH = 1000;

/**
 * Loads the demo marketplace (categories, staff and seller accounts with shops, products, stock and
 * listings) into an empty database. Bulk inserts keep a 5k catalog to a few seconds and 100k to minutes.
 */
export async function seedDemo(
  core: CoreServices,
  opts: {
    products?: number;
    seed?: number;
    /**
     * The demo's flash sales, group deals and automatic promotions (the demo marketplace turns them on;
     * default off: the sales take units out of stock and promotions change totals that suites count).
     */
    offers?: boolean;
    log?: Logger;
    onProgress?: (done: number, total: number) => void;
  } = {},
): Promise<{ accounts: DemoAccount[]; products: number; catalog: DemoCatalog }> {
  const catalog = generateDemoCatalog({ products: opts.products ?? 5000, seed: opts.seed ?? 1 });
  // Predictable sign-in names for the demo: seller01@bazaar.test … seller24@bazaar.test.
  catalog.sellers.forEach((s, i) => (s.email = `seller${String(i + 1).padStart(2, '0')}@bazaar.test`));
  await core.categories.createMany(catalog.categories);
  const categories = new Map((await core.categories.list()).map((c) => [c.id, c]));

  const accounts: DemoAccount[] = [];
  for (const staff of STAFF) {
    await core.users.createUser({
      id: staff.id,
      email: staff.email,
      name: staff.name,
      password: DEMO_PASSWORD,
      roles: [staff.role],
    });
    accounts.push({ role: staff.role, email: staff.email, password: DEMO_PASSWORD, name: staff.name });
  }
  for (const courier of COURIERS.slice(1)) {
    await core.users.createUser({
      id: courier.id,
      email: courier.email,
      name: courier.name,
      password: DEMO_PASSWORD,
      roles: ['courier'],
    });
    accounts.push({ role: 'courier', email: courier.email, password: DEMO_PASSWORD, name: courier.name });
  }
  for (const courier of COURIERS) {
    const district = DELIVERY_AREA.districts.find((d) => d.id === courier.district)!;
    await core.logistics.couriers.seed({
      id: courier.id,
      name: courier.name,
      availability: 'online',
      fix: { ...district.center, heading: null, speedKmh: null, accuracy: 10, at: core.clock() },
    });
  }
  const shopOf = new Map<string, string>();
  for (const seller of catalog.sellers) {
    const shopId = shopIdOf(seller.id);
    await core.users.createUser({
      id: seller.id,
      email: seller.email,
      name: seller.name,
      password: DEMO_PASSWORD,
      roles: ['shopper', 'seller'],
      shopId,
    });
    await core.shops.createShop({
      id: shopId,
      ownerId: seller.id,
      name: seller.shopName,
      nameZh: seller.shopNameZh,
      slug: seller.shopSlug,
      city: seller.city,
    });
    shopOf.set(seller.id, shopId);
    accounts.push({ role: 'seller', email: seller.email, password: DEMO_PASSWORD, name: seller.shopName });
  }

  /** Leaf slug first, then its ancestors': what the art's silhouette is chosen from. */
  const slugsOf = (categoryId: string): string[] => {
    const leaf = categories.get(categoryId);
    if (!leaf) return [];
    return [leaf.slug, ...[...leaf.ancestors].reverse().map((id) => categories.get(id)?.slug ?? '')];
  };

  let done = 0;
  let artMs = 0;
  for (let i = 0; i < catalog.products.length; i += BATCH) {
    const batch = catalog.products.slice(i, i + BATCH);
    const artStarted = performance.now();
    const art = new Map(batch.map((p) => [p.id, demoProductArt(p, slugsOf(p.categoryId))]));
    artMs += performance.now() - artStarted;
    const docs = batch.map((p) => ({
      _id: p.id,
      shopId: shopOf.get(p.sellerId)!,
      sellerId: p.sellerId,
      categoryId: p.categoryId,
      categoryAncestors: categories.get(p.categoryId)?.ancestors ?? [],
      handle: p.id,
      name: p.name,
      nameZh: p.nameZh,
      description: p.description,
      descriptionZh: p.descriptionZh,
      brand: p.brand,
      tags: p.tags,
      variants: p.variants.map((v) => ({
        sku: v.sku,
        title: v.title,
        price: v.price,
        attributes: v.attributes,
        images: art.get(p.id)!.variants.get(v.sku) ?? [],
      })),
      images: [art.get(p.id)!.product],
      popularity: p.popularity,
      status: 'active' as const,
      takedown: null,
      version: 1,
      createdAt: p.createdAt,
      updatedAt: p.createdAt,
    }));
    const written = await core.catalog.insertSeedProducts(docs);
    const stock = batch.flatMap((p) =>
      p.variants.map((v) => ({ sku: v.sku, productId: p.id, sellerId: p.sellerId, available: v.stock })),
    );
    await core.inventory.seedInitial(stock);
    const levels = new Map(
      stock.map((s) => [s.sku, { sku: s.sku, productId: s.productId, available: s.available, version: 1 }]),
    );
    const listings = await Promise.all(
      written.map(({ _id, ...rest }) => core.listings.buildDoc({ id: _id, ...rest }, levels)),
    );
    await core.listings.insertMany(listings);
    done += batch.length;
    opts.onProgress?.(done, catalog.products.length);
  }
  await seedDemoCoupons(core, catalog);
  if (opts.offers) {
    const onSale = await seedDemoFlashSales(core, catalog);
    await seedDemoGroupDeals(core, catalog, onSale);
    await seedDemoPromotions(core, catalog);
  }
  await seedDemoMoney(core, catalog);
  opts.log?.info(
    {
      products: done,
      sellers: catalog.sellers.length,
      categories: catalog.categories.length,
      artMs: Math.round(artMs),
    },
    'demo data loaded',
  );
  return { accounts, products: done, catalog };
}

/**
 * The marketplace's fee and the sellers' payout accounts: 5 % by default, a lower rate on the first
 * department and a higher, capped one on the second (the admin's commission page shows them), and an
 * Alipay account per demo seller so the finance pages and the weekly payout work out of the box.
 */
async function seedDemoMoney(core: CoreServices, catalog: DemoCatalog) {
  const admin = DEMO_ADMIN;
  const rule = {
    targetId: null,
    fixedFen: 0,
    minFen: null,
    maxFen: null,
    activeFrom: null,
    activeTo: null,
  };
  await core.commission.create(admin, {
    ...rule,
    scope: 'global',
    kind: 'percent',
    rateBp: 500,
    note: 'Default',
  });
  const departments = catalog.categories.filter((c) => c.parentId === null);
  if (departments[0])
    await core.commission.create(admin, {
      ...rule,
      scope: 'category',
      targetId: departments[0].id,
      kind: 'percent',
      rateBp: 300,
      note: `${departments[0].name}: low-margin department`,
    });
  if (departments[1])
    await core.commission.create(admin, {
      ...rule,
      scope: 'category',
      targetId: departments[1].id,
      kind: 'percent',
      rateBp: 800,
      maxFen: 5_000,
      note: `${departments[1].name}: 8 %, at most ¥50 a line`,
    });
  for (const seller of catalog.sellers)
    await core.payouts.setAccount(seller.id, { type: 'alipay', holder: seller.name, number: seller.email });
}

/** A few coupons to try at checkout: two from the platform, one from the first shop. */
async function seedDemoCoupons(core: CoreServices, catalog: DemoCatalog) {
  const admin = DEMO_ADMIN;
  const year = 365 * 86_400_000;
  const endsAt = new Date(core.clock().getTime() + year);
  await core.promotions.createCoupon(admin, {
    code: 'WELCOME10',
    kind: 'percent',
    value: 10,
    maxDiscount: 5000,
    minSpend: 10_000,
    endsAt,
    perUserLimit: 1,
    description: '10% off your first order of ¥100 or more (up to ¥50)',
  });
  await core.promotions.createCoupon(admin, {
    code: 'BAZAAR20',
    kind: 'fixed',
    value: 2000,
    minSpend: 20_000,
    endsAt,
    usageLimit: 1000,
    perUserLimit: 3,
    description: '¥20 off orders of ¥200 or more',
  });
  const seller = catalog.sellers[0];
  if (seller)
    await core.promotions.createCoupon(
      { id: seller.id, roles: ['seller'], shopId: shopIdOf(seller.id) },
      {
        code: 'SHOP01-15',
        kind: 'fixed',
        value: 1500,
        minSpend: 9900,
        endsAt,
        perUserLimit: 2,
        description: `¥15 off ¥99 or more at ${seller.shopName}`,
      },
    );
}

/**
 * Flash sales to see on `/flash` and the home strip: two live for a week, one that opens ten minutes after
 * the seed (its countdown reaches zero while someone looks around), each on a popular product of its own shop,
 * about 40 % off. Their units leave normal stock like any seller's sale.
 */
async function seedDemoFlashSales(core: CoreServices, catalog: DemoCatalog): Promise<Set<string>> {
  const now = core.clock().getTime();
  const week = 7 * 86_400_000;
  const windows = [
    { startsAt: now, endsAt: now + week },
    { startsAt: now, endsAt: now + week },
    { startsAt: now + 10 * 60_000, endsAt: now + week },
  ];
  const picked = popularPerShop(catalog, windows.length, (v) => v.stock >= 40 && v.price >= 5_000, new Set());
  for (const [i, product] of picked.entries()) {
    const variant = product.variants[0]!;
    await core.flashSales.create(DEMO_ADMIN, {
      sku: variant.sku,
      // ¥x9.90-style prices, about 40 % off.
      salePrice: Math.max(990, Math.floor((variant.price * 0.6) / 1_000) * 1_000 - 10),
      quantity: 20,
      perPersonLimit: 1,
      startsAt: new Date(windows[i]!.startsAt),
      endsAt: new Date(windows[i]!.endsAt),
    });
  }
  return new Set(picked.map((p) => p.id));
}

/**
 * Group deals (拼团) on four popular products of different shops (none already on a flash sale): about
 * 25 % off for 2 or 3 buyers within 24 hours, running for a month. Their groups start when shoppers pay.
 */
async function seedDemoGroupDeals(core: CoreServices, catalog: DemoCatalog, skip: Set<string>) {
  const now = core.clock().getTime();
  const picked = popularPerShop(catalog, 4, (v) => v.price >= 3_000, skip);
  for (const [i, product] of picked.entries()) {
    const variant = product.variants[0]!;
    await core.groupBuying.createDeal(DEMO_ADMIN, {
      sku: variant.sku,
      groupPrice: Math.max(990, Math.floor((variant.price * 0.75) / 100) * 100 - 10),
      groupSize: i % 2 ? 2 : 3,
      timeLimitMinutes: 24 * 60,
      startsAt: new Date(now),
      endsAt: new Date(now + 30 * 86_400_000),
    });
  }
}

/**
 * The `count` most popular products whose first variant `fits`, at most one per shop, none of `skip`:
 * the demo's offers spread over several shops.
 */
function popularPerShop(
  catalog: DemoCatalog,
  count: number,
  fits: (variant: DemoProduct['variants'][number]) => boolean,
  skip: Set<string>,
): DemoProduct[] {
  const shops = new Set<string>();
  const picked: DemoProduct[] = [];
  for (const product of [...catalog.products].sort((a, b) => b.popularity - a.popularity)) {
    if (picked.length === count) break;
    const first = product.variants[0];
    if (!first || !fits(first) || skip.has(product.id) || shops.has(product.sellerId)) continue;
    shops.add(product.sellerId);
    picked.push(product);
  }
  return picked;
}

/**
 * Automatic promotions for a month: the platform's spend-and-save (满300减30, 满500减60) on every cart, and
 * 10 % off everything in the first shop (its own money), so the cart's "spend ¥x more" line and the shop's
 * reduced prices show from the first visit.
 */
async function seedDemoPromotions(core: CoreServices, catalog: DemoCatalog) {
  const endsAt = new Date(core.clock().getTime() + 30 * 86_400_000);
  await core.autoPromotions.create(DEMO_ADMIN, {
    kind: 'spend_and_save',
    title: '满300减30 · 满500减60',
    tiers: [
      { threshold: 30_000, off: 3_000 },
      { threshold: 50_000, off: 6_000 },
    ],
    endsAt,
  });
  const seller = catalog.sellers[0];
  if (seller)
    await core.autoPromotions.create(
      { id: seller.id, roles: ['seller'], shopId: shopIdOf(seller.id) },
      { kind: 'percent_off', title: `${seller.shopName}: 9折`, percent: 10, endsAt },
    );
}

/**
 * A product's demo art: its picture (in its first variant's colour) and, for each variant of another
 * colour, that colour's picture; variants that do not differ in colour show the product's.
 */
function demoProductArt(
  product: DemoProduct,
  categorySlugs: string[],
): { product: string; variants: Map<string, string[]> } {
  const draw = (attributes: Record<string, string>) =>
    svgDataUrl(productArtSvg({ brand: product.brand, name: product.name, categorySlugs, attributes }));
  const first = product.variants[0]?.attributes ?? {};
  const main = draw(first);
  const byColour = new Map<string, string>([[colourOf(first) ?? '', main]]);
  const variants = new Map<string, string[]>();
  for (const variant of product.variants) {
    const colour = colourOf(variant.attributes);
    if (!colour) continue;
    let url = byColour.get(colour);
    if (!url) byColour.set(colour, (url = draw(variant.attributes)));
    variants.set(variant.sku, [url]);
  }
  return { product: main, variants };
}
