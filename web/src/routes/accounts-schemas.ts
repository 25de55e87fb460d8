import { OrderSchema } from '../schemas-commerce';
import { AfterSalesRequestSchema } from './aftersales-schemas';
import { FAVOURITE_KINDS } from '@market/core/browser';
import { z } from 'zod';
import { requiredText, TRIMMED } from '../http/text';
import { orNull, ProductCardSchema } from '../schemas';

/** Schemas of the shopper's address book and favourites (browser-safe: zod and core constants only). */

const Text = (max: number) => requiredText(max);

/** Spaces (what trim removes, which is also what `\\s` means here) and dashes, between any two characters. */
const GAP = `[${TRIMMED}-]*`;

/**
 * A mainland mobile number: 11 digits starting with 1 and a second digit 3–9, optionally written with
 * +86 / 86 in front and spaces or dashes between groups; stored as the bare 11 digits.
 */
const MainlandMobile = z
  .string()
  // The same rule on the text as sent, for the document: what is left once the gaps are gone.
  .regex(
    new RegExp(`^${GAP}(?:(?:\\+${GAP})?8${GAP}6${GAP})?1${GAP}[3-9](?:${GAP}\\d){9}${GAP}$`),
    'a mainland mobile number (11 digits, starting with 1)',
  )
  .trim()
  .transform((s) => s.replace(/[\s-]/g, '').replace(/^(\+?86)(?=1\d{10}$)/, ''))
  .pipe(z.string().regex(/^1[3-9]\d{9}$/, 'a mainland mobile number (11 digits, starting with 1)'));

export const AddressInputSchema = z
  .object({
    name: Text(60),
    phone: MainlandMobile,
    province: Text(60),
    city: Text(60),
    district: Text(60),
    line1: Text(200),
    line2: z.string().trim().max(200).default(''),
    postcode: z
      .string()
      .trim()
      .regex(/^\d{6}$/, 'six digits'),
    makeDefault: z.boolean().optional(),
  })
  .strict()
  .meta({ id: 'AddressInput' });

export const SavedAddressSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    phone: z.string(),
    province: z.string(),
    city: z.string(),
    district: z.string(),
    line1: z.string(),
    line2: z.string(),
    postcode: z.string(),
    isDefault: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'SavedAddress' });

export const AddressBookSchema = z
  .object({ items: z.array(SavedAddressSchema), defaultId: z.string().nullable(), version: z.number() })
  .meta({ id: 'AddressBook' });

export const FavouriteKindParam = z.enum(FAVOURITE_KINDS);

export const FavouriteStateSchema = z
  .object({ kind: FavouriteKindParam, targetId: z.string(), favourited: z.boolean(), count: z.number() })
  .meta({ id: 'FavouriteState' });

export const FavouriteShopSchema = z.object({
  id: z.string(),
  name: z.string(),
  nameZh: z.string(),
  slug: z.string(),
  city: z.string(),
});

const PriceDropSchema = z.object({
  id: z.string(),
  type: z.literal('price_dropped'),
  productId: z.string(),
  sku: z.string(),
  oldPrice: z.number(),
  newPrice: z.number(),
  at: z.string(),
});
const RestockSchema = z.object({
  id: z.string(),
  type: z.literal('back_in_stock'),
  productId: z.string(),
  sku: z.string(),
  available: z.number(),
  at: z.string(),
});
export const FavouriteAlertSchema = z
  .discriminatedUnion('type', [PriceDropSchema, RestockSchema])
  .meta({ id: 'FavouriteAlert' });

/**
 * A page of favourites: for products the current card (null when the product is no longer listed) and
 * its latest "price dropped" alert, if any; for shops the shop.
 */
export const FavouritePageSchema = z
  .object({
    items: z.array(
      z.object({
        kind: FavouriteKindParam,
        targetId: z.string(),
        createdAt: z.string(),
        product: orNull(ProductCardSchema),
        shop: FavouriteShopSchema.nullable(),
        priceDrop: PriceDropSchema.nullable(),
      }),
    ),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: 'FavouritePage' });

export const FavouriteAlertListSchema = z
  .object({ items: z.array(FavouriteAlertSchema) })
  .meta({ id: 'FavouriteAlertList' });
/* Wire shapes of password reset, phone login and account closing (browser-safe: zod only). */

/**
 * A mobile number: E.164 (`+8613800138000`), or a mainland number (`13800138000`) read as +86; spaces
 * and dashes anywhere are dropped.
 */
export const PhoneSchema = z
  .string()
  // The same rule on the text as sent, for the document: what is left once the gaps are gone.
  .regex(
    new RegExp(`^${GAP}(?:1(?:${GAP}\\d){10}|\\+${GAP}[1-9](?:${GAP}\\d){6,14})${GAP}$`),
    'a mobile number like +8613800138000',
  )
  .trim()
  .transform((v) => v.replace(/[\s-]/g, ''))
  .transform((v) => (/^1\d{10}$/.test(v) ? `+86${v}` : v))
  .pipe(z.string().regex(/^\+[1-9]\d{6,14}$/, 'a mobile number like +8613800138000'));

/** The answer when the outcome must not say more (a reset for an unknown address, a code for an unknown number). */
export const AcceptedSchema = z.object({ accepted: z.literal(true) }).meta({ id: 'Accepted' });

export const ResetLinkSchema = z.object({ email: z.string() }).meta({ id: 'ResetLinkOk' });

export const PasswordResetSchema = z
  .object({ endedSessions: z.number().int() })
  .meta({ id: 'PasswordReset' });

/**
 * The account export: everything held about the person (profile, orders as buyer, reviews, points,
 * coupons redeemed, notifications, sessions, after-sales requests, the recommender's profile). Sections are typed loosely here;
 * each is its own domain's shape.
 */
export const AccountExportSchema = z
  .object({
    exportedAt: z.string(),
    profile: z.record(z.string(), z.unknown()).nullable(),
    orders: z.array(OrderSchema),
    reviews: z.array(z.record(z.string(), z.unknown())),
    points: z.record(z.string(), z.unknown()),
    couponsRedeemed: z.array(z.record(z.string(), z.unknown())),
    notifications: z.array(z.record(z.string(), z.unknown())),
    notificationPreferences: z.record(z.string(), z.unknown()),
    sessions: z.array(z.record(z.string(), z.unknown())),
    addresses: z.array(SavedAddressSchema),
    favourites: z.object({
      items: z.array(z.record(z.string(), z.unknown())),
      alerts: z.array(z.record(z.string(), z.unknown())),
    }),
    afterSales: z.array(AfterSalesRequestSchema.omit({ yourRole: true, actions: true })),
    recommendations: z.unknown(),
  })
  .meta({ id: 'AccountExport' });

export const AccountClosedSchema = z
  .object({ closed: z.literal(true), eraseJobId: z.string() })
  .meta({ id: 'AccountClosed' });
