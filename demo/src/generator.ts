/**
 * A deterministic, realistic demo catalog: a bilingual category tree, 24 specialist shops across Chinese cities,
 * and products that are real Best Buy phone listings on the phone leaves and invented-from-templates elsewhere.
 * Pure data, no database: seeding and benchmarks decide where it goes.
 */
import { realListingsByLeaf } from './bestbuy';
import { buildCategoryTree } from './categories';
import { compileLeaf } from './listing';
import { generateProducts, type ProductLeaf } from './products';
import { createRandom } from './random';
import { buildSellers, cityZh } from './sellers';
import { LEAF_TEMPLATES } from './templates';
import {
  DEMO_EPOCH,
  type DemoCatalog,
  type DemoCatalogOptions,
  type DemoCategory,
  type DemoProduct,
  type DemoSeller,
} from './types';

export type {
  DemoCatalog,
  DemoCatalogOptions,
  DemoCategory,
  DemoProduct,
  DemoSeller,
  DemoVariant,
} from './types';
export { DEMO_EPOCH } from './types';

const DEFAULTS = { products: 5000, sellers: 24, seed: 1 } as const;

function readOptions(opts: DemoCatalogOptions) {
  const products = opts.products ?? DEFAULTS.products;
  const sellers = opts.sellers ?? DEFAULTS.sellers;
  const seed = opts.seed ?? DEFAULTS.seed;
  const epoch = opts.epoch ?? DEMO_EPOCH;
  if (!Number.isInteger(products) || products < 0)
    throw new RangeError(`products must be a whole number ≥ 0, got ${products}`);
  if (!Number.isInteger(sellers) || sellers < 1)
    throw new RangeError(`sellers must be a whole number ≥ 1, got ${sellers}`);
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
  if (Number.isNaN(epoch.getTime())) throw new RangeError('epoch must be a valid date');
  return { products, sellers, seed, epoch };
}

/** The category tree (parents first) and the sellers; the same for every seed. */
export function demoCategoriesAndSellers(sellerCount: number = DEFAULTS.sellers): {
  categories: DemoCategory[];
  sellers: DemoSeller[];
} {
  const { categories, departmentOf } = buildCategoryTree();
  const departments = categories.filter((c) => c.parentId === null).map((c) => departmentOf.get(c.id)!);
  return { categories, sellers: buildSellers(sellerCount, departments).sellers };
}

/**
 * The products of {@link generateDemoCatalog}, one at a time and in the same order, for loaders that write in batches
 * and should not hold 100,000 products in memory.
 */
export function generateDemoProducts(opts: DemoCatalogOptions = {}): Generator<DemoProduct> {
  const { products, sellers: sellerCount, seed, epoch } = readOptions(opts);
  const { categories, leaves, departmentOf } = buildCategoryTree();
  const departments = categories.filter((c) => c.parentId === null).map((c) => departmentOf.get(c.id)!);
  const roster = buildSellers(sellerCount, departments);
  const real = realListingsByLeaf();
  const productLeaves: ProductLeaf[] = leaves.map((category) => {
    const template = LEAF_TEMPLATES[category.slug];
    if (!template) throw new Error(`no listing template for leaf category ${category.slug}`);
    return {
      category,
      department: departmentOf.get(category.id)!,
      weight: template.weight ?? 1,
      template: compileLeaf(template),
      real: real.get(category.slug) ?? [],
    };
  });
  return generateProducts(
    {
      rng: createRandom(seed),
      seed,
      leaves: productLeaves,
      sellers: roster.sellers,
      sellersByDepartment: roster.sellersByDepartment,
      cityZh,
      epochMs: epoch.getTime(),
    },
    products,
  );
}

/** Deterministic for a seed: same options, same catalog, on any machine. */
export function generateDemoCatalog(opts: DemoCatalogOptions = {}): DemoCatalog {
  const { sellers: sellerCount } = readOptions(opts);
  const { categories, sellers } = demoCategoriesAndSellers(sellerCount);
  return { categories, sellers, products: [...generateDemoProducts(opts)] };
}
