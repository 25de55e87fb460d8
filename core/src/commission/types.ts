/** What a commission rule applies to; the most specific matching rule wins (see `resolve.ts`). */
export const COMMISSION_SCOPES = ['global', 'category', 'shop', 'product'] as const;
export type CommissionScope = (typeof COMMISSION_SCOPES)[number];

/**
 * `percent`: `rateBp` basis points (1/100 of a percent: 500 = 5 %) of the line's base; `fixed`: `fixedFen`
 * per unit of the line. Either way clamped to `[minFen, maxFen]` per line, and never above the base.
 */
export const COMMISSION_KINDS = ['percent', 'fixed'] as const;
export type CommissionKind = (typeof COMMISSION_KINDS)[number];

export interface CommissionRule {
  id: string;
  scope: CommissionScope;
  /** The category, shop or product id; null for the global rule. */
  targetId: string | null;
  kind: CommissionKind;
  rateBp: number;
  fixedFen: number;
  minFen: number | null;
  maxFen: number | null;
  /** Optional window in which the rule applies (a promotion month at a lower rate, say). */
  activeFrom: Date | null;
  activeTo: Date | null;
  /** A disabled rule is kept (orders name it) but never matches. */
  enabled: boolean;
  note: string;
  createdAt: Date;
  updatedAt: Date;
}

export type CommissionRuleInput = Pick<
  CommissionRule,
  | 'scope'
  | 'targetId'
  | 'kind'
  | 'rateBp'
  | 'fixedFen'
  | 'minFen'
  | 'maxFen'
  | 'activeFrom'
  | 'activeTo'
  | 'note'
> & { enabled?: boolean };

/**
 * The commission of one order line, resolved when the order is placed and stored on the order, so a later
 * rule change never rewrites history. `base` is what the commission is charged on: the line's goods less
 * its share of the seller-funded discount (platform coupons and points are the platform's subsidy, and
 * the seller is not charged on money the platform gave away, nor is the platform paid on it).
 */
export interface CommissionLine {
  sku: string;
  productId: string;
  base: number;
  /** The rule that applied; null when no rule matched (no commission). */
  ruleId: string | null;
  scope: CommissionScope | null;
  kind: CommissionKind | null;
  rateBp: number;
  fixedFen: number;
  amount: number;
}

/** What a line is, for resolution: its product, shop and category path (root first). */
export interface CommissionSubject {
  productId: string;
  shopId: string;
  categoryId: string;
  /** The category's ancestors, root first. */
  categoryAncestors: string[];
}
