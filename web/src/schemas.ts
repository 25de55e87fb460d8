import { HIDDEN_REASONS, LISTING_SORTS, LOCALES, MAX_FEN, ROLES } from '@market/core/browser';
import { z } from 'zod';
import { queryInt } from './http/query';
import { requiredText, trimmedMatching } from './http/text';

/**
 * Schemas shared by several routes; each is also a named component of the OpenAPI document. This file
 * and the other schema modules are browser-safe (zod and constants from `@market/core/browser` only):
 * the Svelte app imports their wire types (`web/src/wire`).
 */

/** A moment as JSON carries it: an ISO 8601 string in UTC (a server-side `Date` is sent as one). */
export const DateTime = z.iso.datetime();

/**
 * A named schema (one with `.meta({ id })`) or null. Not `.nullable()`: zod-to-openapi 9 then writes the
 * named component itself as nullable (so a request body that refers to it would take `null`) or, when it
 * met the component first, an `allOf` that refuses null. A union refers to the component unchanged.
 */
export const orNull = <T extends z.ZodType>(named: T) => z.union([named, z.null()]);

/**
 * The `nextCursor` of a time-ordered page: `<createdAt as toISOString writes it>~<id>` of the page's last
 * item (orders, after-sales). The pattern is the whole rule: every string it admits is a position (a day
 * past the month's end rolls over, as `Date` reads it), so the document states exactly what the server takes.
 */
export const TimeCursorParam = z
  .string()
  .regex(
    /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z~[\w-]{1,64}$/,
    'the nextCursor of the previous page',
  );

export const IdParam = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[\w-]+$/, 'not a valid id');
export const SkuParam = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[\w.-]+$/, 'not a valid SKU');

export const UserSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    roles: z.array(z.enum(ROLES)),
    shopId: z.string().nullable(),
    locale: z.enum(LOCALES),
    emailVerified: z.boolean(),
    phone: z.string().nullable(),
    avatarUrl: z.string().nullable(),
  })
  .meta({ id: 'User' });

export const PasswordCheckSchema = z
  .object({
    ok: z.boolean(),
    score: z.number().int().min(0).max(4),
    problem: z.string().nullable(),
    suggestions: z.array(z.string()),
  })
  .meta({ id: 'PasswordCheck' });

/** What a password change ended besides the session that asked for it. */
export const PasswordChangedSchema = z
  .object({ endedSessions: z.number().int() })
  .meta({ id: 'PasswordChanged' });

export const SessionSchema = z
  .object({ user: orNull(UserSchema), csrfToken: z.string() })
  .meta({ id: 'Session' });

const Fen = z.number().int('must be a whole number of fen').min(0).max(MAX_FEN);

const ATTRIBUTE_KEY = /^[A-Za-z][A-Za-z0-9_]{0,31}$/;
const MAX_ATTRIBUTES = 20;
const AttributeKey = z.string().regex(ATTRIBUTE_KEY, 'letters, digits and _ only');
// The document states the key rule too (propertyNames; it also rules out the "$…" and "a.b" keys that
// every body refuses, web/src/http/validate.ts), and the count, which the record's schema alone omits.
const Attributes = z
  .record(AttributeKey, z.string().max(100))
  .refine((a) => Object.keys(a).length <= MAX_ATTRIBUTES, `at most ${MAX_ATTRIBUTES}`)
  .meta({
    propertyNames: { type: 'string', pattern: ATTRIBUTE_KEY.source },
    maxProperties: MAX_ATTRIBUTES,
  });

export const VariantInputSchema = z
  .object({
    sku: SkuParam,
    title: z.string().trim().max(120).optional(),
    price: Fen,
    attributes: Attributes.optional(),
    images: z.array(z.string().max(500)).max(10).optional(),
    stock: z.number().int().min(0).max(10_000_000).optional(),
  })
  .strict()
  .meta({ id: 'VariantInput' });

const productFields = {
  name: requiredText(200),
  nameZh: z.string().trim().max(200).optional(),
  description: z.string().trim().max(5000).optional(),
  descriptionZh: z.string().trim().max(5000).optional(),
  brand: z.string().trim().max(80).optional(),
  categoryId: IdParam,
  tags: z.array(requiredText(40)).max(20).optional(),
};

export const ProductInputSchema = z
  .object({
    ...productFields,
    handle: trimmedMatching(/^[\w-]{1,64}$/, 'letters, digits, _ or -').optional(),
    variants: z.array(VariantInputSchema).min(1, 'at least one variant').max(100),
  })
  .strict()
  .meta({ id: 'ProductInput' });

export const ProductPatchSchema = z
  .object(productFields)
  .partial()
  .strict()
  .refine((p) => Object.keys(p).length > 0, 'nothing to change')
  .meta({ id: 'ProductPatch', minProperties: 1 });

export const VariantPatchSchema = VariantInputSchema.omit({ sku: true, stock: true })
  .partial()
  .strict()
  .meta({ id: 'VariantPatch' });

export const StockInputSchema = z
  .object({ available: z.number().int('must be a whole number').min(0).max(10_000_000) })
  .strict()
  .meta({ id: 'StockInput' });

export const StockLevelSchema = z
  .object({ sku: z.string(), productId: z.string(), available: z.number(), version: z.number() })
  .meta({ id: 'StockLevel' });

const boolString = z.enum(['true', 'false']).transform((v) => v === 'true');
const fenString = z
  .string()
  .regex(/^\d{1,12}$/, 'a whole number of fen')
  .transform(Number);

export const ListingQuerySchema = z
  .object({
    category: IdParam.optional(),
    shop: IdParam.optional(),
    minPrice: fenString.optional(),
    maxPrice: fenString.optional(),
    inStock: boolString.optional(),
    sort: z.enum(LISTING_SORTS).default('newest'),
    limit: queryInt(1, 100, 24),
    cursor: z.string().max(500).optional(),
  })
  .strict()
  .refine((q) => q.minPrice === undefined || q.maxPrice === undefined || q.minPrice <= q.maxPrice, {
    message: 'must not be above maxPrice',
    path: ['minPrice'],
  });

/** A product page's URL key: the storefront links to `/p/<urlHandle>`, and `/p/<id>` redirects there. */
export const UrlHandle = z
  .string()
  .nullable()
  .describe("the product page's URL key (/p/<urlHandle>); null until an old product is given one");

/** A card's automatic promotion: the lowest unit price it gives (below priceMin) and a badge. */
export const CardPromotionSchema = z
  .object({ salePrice: z.number().int().nullable(), badge: z.string().nullable() })
  .meta({ id: 'CardPromotion' });

/** A card's live flash sale (秒杀): its price and end, for a countdown on the server's clock. */
export const CardFlashSaleSchema = z
  .object({
    saleId: z.string(),
    salePrice: z.number().int().describe('fen'),
    normalPrice: z.number().int().describe('fen, the variant price the sale was made against'),
    endsAt: DateTime,
  })
  .meta({ id: 'CardFlashSale' });

export const ProductCardSchema = z
  .object({
    id: z.string(),
    urlHandle: UrlHandle,
    name: z.string(),
    nameZh: z.string(),
    brand: z.string(),
    categoryId: z.string(),
    shopId: z.string(),
    shopName: z.string(),
    shopNameZh: z.string(),
    priceMin: z.number(),
    priceMax: z.number(),
    options: z
      .array(z.string())
      .describe('the options a shopper picks from (up to 7), empty for one variant'),
    currency: z.literal('CNY'),
    imageUrl: z.string(),
    available: z.number(),
    inStock: z.boolean(),
    popularity: z.number(),
    promotion: CardPromotionSchema.optional(),
    flash: CardFlashSaleSchema.optional().describe('a flash sale live now with units left'),
  })
  .meta({ id: 'ProductCard' });

const Ref = z.object({ id: z.string(), name: z.string(), nameZh: z.string() });

export const ProductDetailSchema = z
  .object({
    id: z.string(),
    urlHandle: UrlHandle,
    name: z.string(),
    nameZh: z.string(),
    description: z.string(),
    descriptionZh: z.string(),
    brand: z.string(),
    tags: z.array(z.string()),
    category: Ref,
    breadcrumbs: z.array(Ref),
    shop: z.object({ id: z.string(), name: z.string(), nameZh: z.string(), slug: z.string() }),
    sellerId: z.string(),
    currency: z.literal('CNY'),
    variants: z.array(
      z.object({
        sku: z.string(),
        title: z.string(),
        price: z.number(),
        attributes: z.record(z.string(), z.string()),
        imageUrls: z.array(z.string()),
        available: z.number(),
        stockVersion: z.number(),
      }),
    ),
    imageUrls: z.array(z.string()),
    rating: z.object({ average: z.number(), count: z.number().int() }),
    hiddenBecause: z
      .enum(HIDDEN_REASONS)
      .nullable()
      .describe('Why it is off sale (only its seller and staff see it then), or null'),
    takedownReason: z.string().nullable().describe("Staff's reason when it is taken down"),
    promotion: z
      .object({
        salePrices: z.record(z.string(), z.number().int()).describe('per SKU: what one unit sells for now'),
        badges: z.array(z.string()),
        bundles: z
          .array(
            z.object({
              promotionId: z.string(),
              title: z.string(),
              items: z.array(z.object({ sku: z.string(), productId: z.string(), name: z.string() })),
              price: z.number().int().describe('fen for one set'),
              listTotal: z.number().int().describe("the set's list prices together, fen"),
            }),
          )
          .describe('live bundles with one of its SKUs: "Buy together: A + B for ¥X"'),
      })
      .optional()
      .describe('the automatic promotions live now (GET /api/products/:id only)'),
    version: z.number(),
    createdAt: DateTime,
    updatedAt: DateTime,
  })
  .meta({ id: 'ProductDetail' });

export const PageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const ProductPageSchema = PageOf(ProductCardSchema);
/** A seller's own products: full details with stock. */
export const SellerProductPageSchema = PageOf(ProductDetailSchema);

export const ImportJobSchema = z
  .object({
    id: z.string(),
    sellerId: z.string(),
    shopId: z.string(),
    status: z.enum(['queued', 'running', 'completed', 'failed']),
    fileName: z.string(),
    totalRows: z.number(),
    processedRows: z.number(),
    succeeded: z.number(),
    failed: z.number(),
    errors: z.array(z.object({ line: z.number(), field: z.string(), message: z.string() })),
    errorsTruncated: z.boolean(),
    createdAt: DateTime,
    startedAt: DateTime.nullable(),
    finishedAt: DateTime.nullable(),
  })
  .meta({ id: 'ImportJob' });

export const ImportJobListSchema = z.object({ items: z.array(ImportJobSchema) });

export const CategorySchema = z
  .object({
    id: z.string(),
    slug: z.string(),
    name: z.string(),
    nameZh: z.string(),
    parentId: z.string().nullable(),
    depth: z.number(),
  })
  .meta({ id: 'Category' });

export const CategoryListSchema = z.object({ items: z.array(CategorySchema) });
