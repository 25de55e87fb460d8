/** What kind of thing a staff action touched. */
export const AUDIT_TARGET_TYPES = [
  'user',
  'shop',
  'seller_application',
  'product',
  'photo',
  'order',
  'refund',
  'aftersale',
  'coupon',
  'promotion',
  'commission_rule',
  'payout',
  'review',
] as const;
export type AuditTargetType = (typeof AUDIT_TARGET_TYPES)[number];

/** One staff action, as it is shown in the back office. */
export interface AuditEntry {
  id: string;
  at: Date;
  actor: { id: string; roles: string[] };
  /** `<domain>.<verb>`, e.g. `user.blocked`, `commission_rule.changed`, `order.refunded`. */
  action: string;
  target: { type: AuditTargetType; id: string };
  /** The values the action changed, before and after (null when the action created or removed a thing). */
  before: unknown;
  after: unknown;
  /** The reason staff gave, where the action asks for one. */
  reason: string | null;
}

export interface AuditInput {
  actor: { id: string; roles: readonly string[] };
  action: string;
  target: { type: AuditTargetType; id: string };
  before?: unknown;
  after?: unknown;
  reason?: string | null;
}

export interface AuditFilter {
  actorId?: string;
  action?: string;
  targetType?: AuditTargetType;
  targetId?: string;
  from?: Date;
  to?: Date;
}
