import { splitProportionally } from '../money';
import type { AppliedPromotion, AutoPromotion, SpendNudge } from './auto-types';

/** A line as automatic promotions see it. `categoryIds`: its category and that category's ancestors. */
export interface PromotableLine {
  key: string;
  sku: string;
  sellerId: string;
  shopId: string;
  categoryIds: readonly string[];
  /** The list price of one unit, fen. */
  unitPrice: number;
  qty: number;
  /** A flash-sale claim or group-buy line: already at its offer's price, so no automatic promotion touches it. */
  flash: boolean;
}

export interface PromotedLine {
  /** The unit price after a sale price, when one applied; null otherwise. */
  salePrice: number | null;
  /** Fen that automatic promotions take off the line (the list price × qty is the line's total). */
  discount: number;
  /** The same, per promotion. */
  takes: Record<string, number>;
}

export interface PromotionOutcome {
  lines: Map<string, PromotedLine>;
  /** Per seller: the promotions applied to their order, in the order they were applied. */
  bySeller: Map<string, AppliedPromotion[]>;
  nudges: SpendNudge[];
}

export function isLive(p: Pick<AutoPromotion, 'active' | 'startsAt' | 'endsAt'>, at: Date): boolean {
  return p.active && p.startsAt <= at && at < p.endsAt;
}

const byId = (a: AutoPromotion, b: AutoPromotion) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

function covers(p: AutoPromotion, line: PromotableLine): boolean {
  if (line.flash) return false;
  if (p.shopId !== null && p.shopId !== line.shopId) return false;
  if (p.kind === 'sale_price') return p.sku === line.sku;
  if (p.kind === 'bundle') return p.skus.includes(line.sku);
  if (p.kind === 'percent_off' || p.kind === 'buy_n_get_m')
    return p.categoryId === null || line.categoryIds.includes(p.categoryId);
  return true;
}

/** The best tier of `p` reached by `base` (its saving, never more than the base), or 0. */
function tierSaving(p: AutoPromotion, base: number): number {
  let off = 0;
  for (const t of p.tiers) if (base >= t.threshold && t.off > off) off = t.off;
  return Math.min(off, base);
}

/**
 * Applies automatic promotions to a checkout's lines. The stacking rules (documented in
 * core/src/promotions/README.md, and exactly these):
 *
 * 1. Sale price: a line's lowest live sale price below its list price replaces the unit price.
 * 2. Buy N get M: a line takes the one live buy-N-get-M covering it that frees the largest share of
 *    units; of all the units a promotion covers, floor(units / (N + M)) × M of the cheapest are free.
 * 3. Bundle (组合价): a unit a buy-N-get-M made free is in no set. Of the units still paid, each complete
 *    set of a bundle's SKUs (min over its SKUs of their units) costs the bundle price: the set's saving is
 *    what its units cost after step 1 less the bundle price (none when that is not positive), split to the
 *    bundle's lines in proportion to what their units in sets cost. A unit is in at most one set; bundles
 *    are taken largest saving per set first (ties to the lower id).
 * 4. Percentage off: a line takes the one live percentage with the highest percent that covers it (shop
 *    or category; ties to the lower id); percentages do not add up. Each promotion's amount is
 *    floor(percent × what its lines' units outside bundles cost after steps 1–2), capped by
 *    `maxDiscount` over the whole checkout; a unit counted in a bundle takes no percentage.
 * 5. Spend-and-save on what remains, first the shop's (per shop: the one promotion whose best reached
 *    tier saves most), then the platform-wide one on what remains of the whole cart after that.
 * 6. (Outside this function) the coupon on what remains — its minimum spend judged after promotions —
 *    then points.
 *
 * Every amount is whole fen split to the lines it covers in proportion to what each still costs
 * (`splitProportionally`), so the lines' takes sum exactly to each promotion's amount, and no line goes
 * below zero. Flash-sale claim lines take no automatic promotion. Pure: `at` comes from the caller's clock.
 */
export function applyAutoPromotions(
  lines: readonly PromotableLine[],
  promotions: readonly AutoPromotion[],
  at: Date,
): PromotionOutcome {
  const live = promotions.filter((p) => isLive(p, at)).sort(byId);
  const state = new Map(
    lines.map((l) => [
      l.key,
      {
        line: l,
        remaining: l.unitPrice * l.qty,
        salePrice: null as number | null,
        /** Units a buy-N-get-M made free, and units counted in a bundle's sets. */
        freeUnits: 0,
        bundledUnits: 0,
        /** What the line's units in bundle sets still cost (kept out of percentages). */
        bundledCost: 0,
        takes: {} as Record<string, number>,
      },
    ]),
  );
  const take = (key: string, promotionId: string, amount: number) => {
    const s = state.get(key)!;
    if (amount <= 0) return;
    s.remaining -= amount;
    s.takes[promotionId] = (s.takes[promotionId] ?? 0) + amount;
  };
  /** Splits `amount` of `promotionId` over `keys` by what each still costs. */
  const spread = (
    promotionId: string,
    amount: number,
    keys: string[],
    weight: (k: string) => number = (k) => state.get(k)!.remaining,
  ) => {
    const parts = splitProportionally(amount, Object.fromEntries(keys.map((k) => [k, weight(k)])));
    for (const k of keys) take(k, promotionId, parts[k] ?? 0);
  };
  const remainingOf = (keys: string[]) => keys.reduce((n, k) => n + state.get(k)!.remaining, 0);

  // 1. Sale prices.
  for (const s of state.values()) {
    let best: AutoPromotion | null = null;
    for (const p of live)
      if (
        p.kind === 'sale_price' &&
        covers(p, s.line) &&
        p.salePrice! < (best?.salePrice ?? s.line.unitPrice)
      )
        best = p;
    if (!best) continue;
    s.salePrice = best.salePrice;
    take(s.line.key, best.id, (s.line.unitPrice - best.salePrice!) * s.line.qty);
  }

  // 2. Buy N get M: one per line (the most generous share of free units); per promotion, of all the
  // units it covers, floor(units / (N + M)) × M of the cheapest (after sale prices) are free.
  const generosity = (p: AutoPromotion) => p.freeQty! / (p.buyQty! + p.freeQty!);
  const freeLines = new Map<AutoPromotion, string[]>();
  for (const s of state.values()) {
    let best: AutoPromotion | null = null;
    for (const p of live)
      if (p.kind === 'buy_n_get_m' && covers(p, s.line) && (!best || generosity(p) > generosity(best)))
        best = p;
    if (best) freeLines.set(best, [...(freeLines.get(best) ?? []), s.line.key]);
  }
  for (const [p, keys] of freeLines) {
    const units = keys
      .flatMap((k) => {
        const s = state.get(k)!;
        return Array.from({ length: s.line.qty }, () => ({ k, price: s.salePrice ?? s.line.unitPrice }));
      })
      .sort((a, b) => a.price - b.price || (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
    const free = Math.floor(units.length / (p.buyQty! + p.freeQty!)) * p.freeQty!;
    for (const unit of units.slice(0, free)) {
      take(unit.k, p.id, unit.price);
      state.get(unit.k)!.freeUnits++;
    }
  }

  // 3. Bundles: complete sets of units still paid, largest saving per set first; a unit in one set only.
  const unitPrice = (s: { salePrice: number | null; line: PromotableLine }) =>
    s.salePrice ?? s.line.unitPrice;
  const paidLeft = (s: { line: PromotableLine; freeUnits: number; bundledUnits: number }) =>
    s.line.qty - s.freeUnits - s.bundledUnits;
  const bundleLines = (p: AutoPromotion) =>
    p.skus.map((sku) =>
      [...state.values()]
        .filter((s) => s.line.sku === sku && covers(p, s.line))
        .sort((a, b) => (a.line.key < b.line.key ? -1 : a.line.key > b.line.key ? 1 : 0)),
    );
  const setSaving = (p: AutoPromotion) => {
    let cost = 0;
    for (const of of bundleLines(p)) {
      if (!of.length) return 0;
      cost += Math.min(...of.map(unitPrice));
    }
    return cost - p.bundlePrice!;
  };
  const bundles = live
    .filter((p) => p.kind === 'bundle' && p.skus.length > 1)
    .map((p) => ({ p, saving: setSaving(p) }))
    .filter((b) => b.saving > 0)
    .sort((a, b) => b.saving - a.saving);
  for (const { p } of bundles) {
    const perSku = bundleLines(p);
    const sets = Math.min(...perSku.map((of) => of.reduce((n, s) => n + paidLeft(s), 0)));
    if (sets <= 0) continue;
    // Which units make the sets: per SKU, `sets` units from its lines in key order.
    const inSets = new Map<string, number>();
    for (const of of perSku) {
      let need = sets;
      for (const s of of) {
        const n = Math.min(need, paidLeft(s));
        if (n > 0) inSets.set(s.line.key, (inSets.get(s.line.key) ?? 0) + n);
        need -= n;
      }
    }
    const keys = [...inSets.keys()];
    const cost = keys.reduce((n, k) => n + inSets.get(k)! * unitPrice(state.get(k)!), 0);
    const saving = cost - sets * p.bundlePrice!;
    if (saving <= 0) continue;
    const before = new Map(keys.map((k) => [k, state.get(k)!.takes[p.id] ?? 0]));
    spread(p.id, saving, keys, (k) => inSets.get(k)! * unitPrice(state.get(k)!));
    for (const k of keys) {
      const s = state.get(k)!;
      s.bundledUnits += inSets.get(k)!;
      s.bundledCost += inSets.get(k)! * unitPrice(s) - ((s.takes[p.id] ?? 0) - before.get(k)!);
    }
  }

  // 4. Percentages: one per line, the highest, on the line's units outside bundles.
  const percentLines = new Map<AutoPromotion, string[]>();
  for (const s of state.values()) {
    let best: AutoPromotion | null = null;
    for (const p of live)
      if (p.kind === 'percent_off' && covers(p, s.line) && p.percent! > (best?.percent ?? 0)) best = p;
    if (best) percentLines.set(best, [...(percentLines.get(best) ?? []), s.line.key]);
  }
  const outsideBundles = (k: string) => state.get(k)!.remaining - state.get(k)!.bundledCost;
  for (const [p, keys] of percentLines) {
    const base = keys.reduce((n, k) => n + outsideBundles(k), 0);
    const off = Math.floor((base * p.percent!) / 100);
    spread(p.id, p.maxDiscount === null ? off : Math.min(off, p.maxDiscount), keys, outsideBundles);
  }

  // 5. Spend-and-save: each shop's, then the platform-wide one.
  const nudges: SpendNudge[] = [];
  const tiered = live.filter((p) => p.kind === 'spend_and_save');
  const scopes = new Map<string | null, string[]>();
  for (const s of state.values()) {
    if (s.line.flash) continue;
    scopes.set(s.line.shopId, [...(scopes.get(s.line.shopId) ?? []), s.line.key]);
  }
  const allKeys = [...state.values()].filter((s) => !s.line.flash).map((s) => s.line.key);
  const scopeOrder: [string | null, string[]][] = [
    ...[...scopes.entries()].sort(([a], [b]) => ((a ?? '') < (b ?? '') ? -1 : 1)),
    [null, allKeys],
  ];
  for (const [shopId, keys] of scopeOrder) {
    const candidates = tiered.filter((p) => p.shopId === shopId);
    if (!candidates.length || !keys.length) continue;
    const base = remainingOf(keys);
    let best: AutoPromotion | null = null;
    let bestOff = 0;
    for (const p of candidates) {
      const off = tierSaving(p, base);
      if (off > bestOff) [best, bestOff] = [p, off];
    }
    // The nearest tier above the base that would save more than the cart saves now.
    let next: SpendNudge | null = null;
    for (const p of candidates)
      for (const t of p.tiers)
        if (t.threshold > base && t.off > bestOff && (!next || t.threshold - base < next.spendMore))
          next = { promotionId: p.id, title: p.title, shopId, spendMore: t.threshold - base, save: t.off };
    if (next) nudges.push(next);
    if (best) spread(best.id, bestOff, keys);
  }

  const order = new Map(live.map((p, i) => [p.id, i]));
  const kindRank = { sale_price: 0, buy_n_get_m: 1, bundle: 2, percent_off: 3, spend_and_save: 4 } as const;
  const promotionById = new Map(live.map((p) => [p.id, p]));
  const bySeller = new Map<string, AppliedPromotion[]>();
  const out = new Map<string, PromotedLine>();
  for (const s of state.values()) {
    const discount = s.line.unitPrice * s.line.qty - s.remaining;
    out.set(s.line.key, { salePrice: s.salePrice, discount, takes: s.takes });
    const applied = bySeller.get(s.line.sellerId) ?? [];
    for (const [id, amount] of Object.entries(s.takes)) {
      const known = applied.find((a) => a.promotionId === id);
      if (known) known.amount += amount;
      else {
        const p = promotionById.get(id)!;
        applied.push({ promotionId: id, kind: p.kind, title: p.title, funding: p.funding, amount });
      }
    }
    if (applied.length) bySeller.set(s.line.sellerId, applied);
  }
  for (const applied of bySeller.values())
    applied.sort(
      (a, b) => kindRank[a.kind] - kindRank[b.kind] || order.get(a.promotionId)! - order.get(b.promotionId)!,
    );
  return { lines: out, bySeller, nudges };
}
