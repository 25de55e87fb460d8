import type { CommissionLine, CommissionRule, CommissionSubject } from './types';

/**
 * The rule that applies to a line: product > shop > category (the line's own, then its nearest
 * ancestor, up to the root) > global. Only enabled rules inside their active window at `at` count; two
 * rules for the same target (overlapping windows) go to the one changed last, then the larger id, so the
 * answer never depends on the order rules were read in.
 */
export function resolveRule(
  rules: readonly CommissionRule[],
  subject: CommissionSubject,
  at: Date,
): CommissionRule | null {
  const live = rules.filter(
    (r) =>
      r.enabled &&
      (!r.activeFrom || r.activeFrom.getTime() <= at.getTime()) &&
      (!r.activeTo || at.getTime() < r.activeTo.getTime()),
  );
  const newest = (matches: CommissionRule[]) =>
    matches.sort(
      (a, b) => b.updatedAt.getTime() - a.updatedAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0),
    )[0] ?? null;
  const pick = (scope: CommissionRule['scope'], targetId: string | null) =>
    newest(live.filter((r) => r.scope === scope && r.targetId === targetId));
  const categoryPath = [subject.categoryId, ...[...subject.categoryAncestors].reverse()];
  return (
    pick('product', subject.productId) ??
    pick('shop', subject.shopId) ??
    categoryPath.reduce<CommissionRule | null>((found, id) => found ?? pick('category', id), null) ??
    pick('global', null)
  );
}

/** Basis points of `base`, rounded half up, in integer fen (BigInt: exact for any safe base). */
export function basisPointsOf(base: number, rateBp: number): number {
  return Number((BigInt(base) * BigInt(rateBp) + 5_000n) / 10_000n);
}

/** The commission a rule charges on one line: percent of the base or fixed per unit, clamped. */
export function commissionAmount(rule: CommissionRule, base: number, qty: number): number {
  let amount = rule.kind === 'percent' ? basisPointsOf(base, rule.rateBp) : rule.fixedFen * qty;
  if (rule.minFen !== null) amount = Math.max(amount, rule.minFen);
  if (rule.maxFen !== null) amount = Math.min(amount, rule.maxFen);
  // Never more than the line earns, never negative: a minimum on a heavily discounted line stops at the base.
  return Math.max(0, Math.min(amount, base));
}

/** One commission line from the rule that applies (or none). */
export function commissionLine(
  rule: CommissionRule | null,
  line: { sku: string; productId: string; qty: number },
  base: number,
): CommissionLine {
  return {
    sku: line.sku,
    productId: line.productId,
    base,
    ruleId: rule?.id ?? null,
    scope: rule?.scope ?? null,
    kind: rule?.kind ?? null,
    rateBp: rule?.kind === 'percent' ? rule.rateBp : 0,
    fixedFen: rule?.kind === 'fixed' ? rule.fixedFen : 0,
    amount: rule ? commissionAmount(rule, base, line.qty) : 0,
  };
}
