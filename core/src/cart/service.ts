import type { Connection } from 'mongoose';
import type { CatalogService } from '../catalog/service';
import type { Product } from '../catalog';
import { NotFoundError, ValidationError } from '../errors';
import type { InventoryService } from '../inventory';
import type { ShopService } from '../shops/service';
import { placeholderImageUrl } from '../storefront/listings';
import { hiddenReason } from '../storefront/visibility';
import { cartModel, type CartDoc, type CartLineDoc } from './model';
import { MAX_CART_LINES, MAX_LINE_QTY, type CartLine, type CartNotice, type CartView } from './types';
import { type Clock, systemClock } from '../clock';

export type CartOwner = { userId: string } | { guestToken: string };

const cartId = (owner: CartOwner) => ('userId' in owner ? `u:${owner.userId}` : `g:${owner.guestToken}`);

const yuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`;

/**
 * Carts: a guest cart (keyed by a cookie token) and an account cart, merged at login. Every read
 * re-prices each line and re-checks its stock, and says what changed; `acknowledge` records that the
 * shopper has seen the current prices (checkout refuses lines whose price changed unseen).
 */
export function createCartService(deps: {
  connection: Connection;
  catalog: CatalogService;
  inventory: InventoryService;
  shops: ShopService;
  clock?: Clock;
}) {
  const Carts = cartModel(deps.connection);
  const now = deps.clock ?? systemClock;

  async function load(owner: CartOwner): Promise<CartDoc> {
    return (
      (await Carts.findById(cartId(owner)).lean<CartDoc>()) ?? {
        _id: cartId(owner),
        lines: [],
        updatedAt: now(),
      }
    );
  }

  async function store(doc: CartDoc): Promise<void> {
    doc.updatedAt = now();
    if (!doc.lines.length) {
      await Carts.deleteOne({ _id: doc._id });
      return;
    }
    await Carts.updateOne(
      { _id: doc._id },
      { $set: { lines: doc.lines, updatedAt: doc.updatedAt } },
      { upsert: true },
    );
  }

  async function resolveSku(sku: string): Promise<{ product: Product; price: number }> {
    const product = await deps.catalog.findBySku(sku);
    const variant = product?.status === 'active' ? product.variants.find((v) => v.sku === sku) : undefined;
    if (!product || !variant) throw new NotFoundError(`Product variant ${sku}`);
    return { product, price: variant.price };
  }

  async function view(doc: CartDoc, owner: CartOwner): Promise<CartView> {
    const levels = await deps.inventory.getLevels(doc.lines.map((l) => l.sku));
    const lines: CartLine[] = await Promise.all(
      doc.lines.map(async (line): Promise<CartLine> => {
        const product = await deps.catalog.getProduct(line.productId);
        const shop = product ? await deps.shops.getShop(product.shopId) : null;
        const variant =
          product?.status === 'active' ? product.variants.find((v) => v.sku === line.sku) : undefined;
        const available = levels.get(line.sku)?.available ?? 0;
        const notices: CartNotice[] = [];
        if (!product || !variant || hiddenReason(product, shop)) {
          notices.push({ code: 'unavailable', message: 'This item is no longer sold' });
        } else if (available === 0) {
          notices.push({ code: 'out_of_stock', message: 'Out of stock' });
        } else if (available < line.qty) {
          notices.push({
            code: 'insufficient_stock',
            message: `Only ${available} left; lower the quantity to continue`,
          });
        }
        const unitPrice = variant?.price ?? line.seenPrice;
        if (variant && unitPrice !== line.seenPrice)
          notices.push({
            code: 'price_changed',
            message: `Price ${unitPrice > line.seenPrice ? 'rose' : 'dropped'} from ${yuan(line.seenPrice)} to ${yuan(unitPrice)}`,
          });
        return {
          sku: line.sku,
          productId: line.productId,
          urlHandle: product?.urlHandle ?? null,
          productName: product?.name ?? line.sku,
          productNameZh: product?.nameZh ?? '',
          variantTitle: variant?.title ?? '',
          image: variant?.images[0] ?? product?.images[0] ?? placeholderImageUrl(line.productId),
          sellerId: product?.sellerId ?? '',
          shopId: product?.shopId ?? '',
          shopName: shop?.name ?? '',
          qty: line.qty,
          unitPrice,
          previousPrice: unitPrice !== line.seenPrice ? line.seenPrice : null,
          lineTotal: unitPrice * line.qty,
          available,
          purchasable: notices.every((n) => n.code === 'price_changed'),
          notices,
        };
      }),
    );
    const groups = new Map<string, CartView['groups'][number]>();
    for (const line of lines) {
      const group = groups.get(line.sellerId) ?? {
        sellerId: line.sellerId,
        shopId: line.shopId,
        shopName: line.shopName,
        lines: [],
        subtotal: 0,
      };
      group.lines.push(line);
      if (line.purchasable) group.subtotal += line.lineTotal;
      groups.set(line.sellerId, group);
    }
    return {
      owner: 'userId' in owner ? 'account' : 'guest',
      groups: [...groups.values()],
      itemCount: lines.reduce((n, l) => n + l.qty, 0),
      itemsTotal: [...groups.values()].reduce((n, g) => n + g.subtotal, 0),
      hasNotices: lines.some((l) => l.notices.length > 0),
      updatedAt: doc.lines.length ? doc.updatedAt.toISOString() : null,
    };
  }

  function checkQty(qty: number, field: string) {
    if (!Number.isInteger(qty) || qty < 0 || qty > MAX_LINE_QTY)
      throw new ValidationError([{ field, message: `a whole number from 0 to ${MAX_LINE_QTY}` }]);
  }

  async function setLine(owner: CartOwner, sku: string, qty: number, mode: 'add' | 'set'): Promise<CartView> {
    checkQty(qty, 'body.qty');
    const doc = await load(owner);
    const existing = doc.lines.find((l) => l.sku === sku);
    const target = Math.min(MAX_LINE_QTY, mode === 'add' ? (existing?.qty ?? 0) + qty : qty);
    if (target === 0) {
      if (!existing && mode === 'set') throw new NotFoundError(`Cart line ${sku}`);
      doc.lines = doc.lines.filter((l) => l.sku !== sku);
    } else {
      const { product, price } = await resolveSku(sku);
      if (existing) {
        existing.qty = target;
        existing.seenPrice = price;
      } else {
        if (doc.lines.length >= MAX_CART_LINES)
          throw new ValidationError([
            { field: 'body.sku', message: `a cart holds at most ${MAX_CART_LINES} items` },
          ]);
        doc.lines.push({ sku, productId: product.id, qty: target, seenPrice: price, addedAt: now() });
      }
    }
    await store(doc);
    return view(doc, owner);
  }

  return {
    async get(owner: CartOwner): Promise<CartView> {
      return view(await load(owner), owner);
    },
    add: (owner: CartOwner, sku: string, qty: number) => setLine(owner, sku, qty, 'add'),
    set: (owner: CartOwner, sku: string, qty: number) => setLine(owner, sku, qty, 'set'),
    async remove(owner: CartOwner, sku: string): Promise<CartView> {
      const doc = await load(owner);
      doc.lines = doc.lines.filter((l) => l.sku !== sku);
      await store(doc);
      return view(doc, owner);
    },

    /** The shopper has seen the current prices: they become the prices checkout expects. */
    async acknowledge(owner: CartOwner): Promise<CartView> {
      const doc = await load(owner);
      for (const line of doc.lines) {
        const product = await deps.catalog.getProduct(line.productId);
        const variant = product?.variants.find((v) => v.sku === line.sku);
        if (variant) line.seenPrice = variant.price;
      }
      await store(doc);
      return view(doc, owner);
    },

    /** Moves a guest cart into the account cart at login: quantities add up, the guest cart goes. */
    async merge(guestToken: string, userId: string): Promise<void> {
      const guest = await Carts.findById(cartId({ guestToken })).lean<CartDoc>();
      if (!guest?.lines.length) return;
      const account = await load({ userId });
      for (const line of guest.lines) {
        const mine = account.lines.find((l) => l.sku === line.sku);
        if (mine) {
          mine.qty = Math.min(MAX_LINE_QTY, mine.qty + line.qty);
          mine.seenPrice = line.seenPrice;
        } else if (account.lines.length < MAX_CART_LINES) account.lines.push(line);
      }
      await store(account);
      await Carts.deleteOne({ _id: guest._id });
    },

    /** The raw lines (checkout reads these and re-checks every one itself). */
    async lines(owner: CartOwner): Promise<CartLineDoc[]> {
      return (await load(owner)).lines;
    },

    /** Removes the bought SKUs after checkout (the shopper may have added others meanwhile). */
    async removeSkus(owner: CartOwner, skus: string[]): Promise<void> {
      const doc = await load(owner);
      const bought = new Set(skus);
      doc.lines = doc.lines.filter((l) => !bought.has(l.sku));
      await store(doc);
    },
  };
}

export type CartService = ReturnType<typeof createCartService>;
