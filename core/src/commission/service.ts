import { randomBytes } from 'node:crypto';
import type { Connection } from 'mongoose';
import type { AuditLog } from '../audit';
import type { CatalogService } from '../catalog';
import type { CategoryService } from '../categories';
import { type Clock, systemClock } from '../clock';
import { NotFoundError, ValidationError } from '../errors';
import { splitProportionally } from '../money';
import type { OrderLine } from '../orders';
import { commissionRuleModel, type CommissionRuleDoc } from './model';
import { commissionLine, resolveRule } from './resolve';
import type { CommissionLine, CommissionRule, CommissionRuleInput, CommissionSubject } from './types';

const toRule = ({ _id, ...doc }: CommissionRuleDoc): CommissionRule => ({
  id: _id,
  ...doc,
  targetId: doc.targetId ?? null,
  minFen: doc.minFen ?? null,
  maxFen: doc.maxFen ?? null,
  activeFrom: doc.activeFrom ?? null,
  activeTo: doc.activeTo ?? null,
});

/** Who changed a rule, for the audit log. */
export interface CommissionActor {
  id: string;
  roles: readonly string[];
}

/**
 * Commission rules (admin-managed, every change audited with before and after) and their resolution per
 * order line when an order is placed (`linesFor`, called by the checkout's plan). The rules are read
 * afresh for each plan: the collection is small, and another app node may have changed it a moment ago.
 */
export function createCommissionService(deps: {
  connection: Connection;
  catalog: Pick<CatalogService, 'getProduct'>;
  categories: Pick<CategoryService, 'get'>;
  audit: Pick<AuditLog, 'record'>;
  clock?: Clock;
}) {
  const Rules = commissionRuleModel(deps.connection);
  const now = deps.clock ?? systemClock;

  async function rules(): Promise<CommissionRule[]> {
    return (await Rules.find({}).lean<CommissionRuleDoc[]>()).map(toRule);
  }

  async function checkTarget(input: CommissionRuleInput): Promise<void> {
    const field = 'body.targetId';
    if (input.scope === 'global') {
      if (input.targetId) throw new ValidationError([{ field, message: 'a global rule has no target' }]);
      return;
    }
    if (!input.targetId) throw new ValidationError([{ field, message: `choose the ${input.scope}` }]);
    const exists =
      input.scope === 'category'
        ? await deps.categories.get(input.targetId)
        : input.scope === 'product'
          ? await deps.catalog.getProduct(input.targetId)
          : true; // shops: the id is checked by the caller (the route), which has the shop service
    if (!exists) throw new ValidationError([{ field, message: `no such ${input.scope}` }]);
  }

  function checkAmounts(input: CommissionRuleInput): void {
    if (input.kind === 'percent' && (input.rateBp < 0 || input.rateBp > 10_000))
      throw new ValidationError([{ field: 'body.rateBp', message: 'from 0 to 10000 basis points' }]);
    if (input.minFen !== null && input.maxFen !== null && input.minFen > input.maxFen)
      throw new ValidationError([{ field: 'body.maxFen', message: 'at least the minimum' }]);
    if (input.activeFrom && input.activeTo && input.activeFrom >= input.activeTo)
      throw new ValidationError([{ field: 'body.activeTo', message: 'after activeFrom' }]);
  }

  function fieldsOf(input: CommissionRuleInput) {
    return {
      scope: input.scope,
      targetId: input.scope === 'global' ? null : input.targetId,
      kind: input.kind,
      rateBp: input.kind === 'percent' ? input.rateBp : 0,
      fixedFen: input.kind === 'fixed' ? input.fixedFen : 0,
      minFen: input.minFen,
      maxFen: input.maxFen,
      activeFrom: input.activeFrom,
      activeTo: input.activeTo,
      enabled: input.enabled ?? true,
      note: input.note,
    };
  }

  async function require(id: string): Promise<CommissionRule> {
    const doc = await Rules.findById(id).lean<CommissionRuleDoc>();
    if (!doc) throw new NotFoundError('Commission rule');
    return toRule(doc);
  }

  async function subjectOf(line: Pick<OrderLine, 'productId'>, shopId: string): Promise<CommissionSubject> {
    const product = await deps.catalog.getProduct(line.productId);
    return {
      productId: line.productId,
      shopId,
      categoryId: product?.categoryId ?? '',
      categoryAncestors: product?.categoryAncestors ?? [],
    };
  }

  return {
    list: rules,
    get: require,

    async create(actor: CommissionActor, input: CommissionRuleInput): Promise<CommissionRule> {
      checkAmounts(input);
      await checkTarget(input);
      const at = now();
      const doc: CommissionRuleDoc = {
        _id: `cr_${randomBytes(8).toString('base64url')}`,
        ...fieldsOf(input),
        createdAt: at,
        updatedAt: at,
      };
      await Rules.create(doc);
      const rule = toRule(doc);
      await deps.audit.record({
        actor,
        action: 'commission_rule.created',
        target: { type: 'commission_rule', id: rule.id },
        after: rule,
      });
      return rule;
    },

    async update(actor: CommissionActor, id: string, input: CommissionRuleInput): Promise<CommissionRule> {
      const before = await require(id);
      checkAmounts(input);
      await checkTarget(input);
      const fields = { ...fieldsOf(input), updatedAt: now() };
      await Rules.updateOne({ _id: id }, { $set: fields });
      const after = await require(id);
      await deps.audit.record({
        actor,
        action: 'commission_rule.changed',
        target: { type: 'commission_rule', id },
        before,
        after,
      });
      return after;
    },

    /** Removes a rule; orders placed under it keep their commission lines (which name it). */
    async remove(actor: CommissionActor, id: string): Promise<void> {
      const before = await require(id);
      await Rules.deleteOne({ _id: id });
      await deps.audit.record({
        actor,
        action: 'commission_rule.removed',
        target: { type: 'commission_rule', id },
        before,
      });
    },

    /**
     * The commission lines of one seller's order: each line's base is its goods less its share of the
     * seller-funded discount (split in proportion to the lines' totals, exact to the fen).
     */
    async linesFor(order: {
      shopId: string;
      lines: Pick<OrderLine, 'sku' | 'productId' | 'qty' | 'lineTotal'>[];
      sellerDiscount: number;
    }): Promise<CommissionLine[]> {
      const all = await rules();
      const at = now();
      const shares = splitProportionally(
        order.sellerDiscount,
        Object.fromEntries(order.lines.map((l, i) => [String(i), l.lineTotal])),
      );
      return Promise.all(
        order.lines.map(async (line, i) => {
          const subject = await subjectOf(line, order.shopId);
          const base = Math.max(0, line.lineTotal - (shares[String(i)] ?? 0));
          return commissionLine(resolveRule(all, subject, at), line, base);
        }),
      );
    },

    /** What a line of `amount` fen (one unit) would pay: for the admin's rule editor. */
    async preview(q: {
      amount: number;
      categoryId?: string;
      shopId?: string;
      productId?: string;
    }): Promise<CommissionLine> {
      let subject: CommissionSubject;
      if (q.productId) {
        const product = await deps.catalog.getProduct(q.productId);
        if (!product) throw new ValidationError([{ field: 'query.productId', message: 'no such product' }]);
        subject = {
          productId: product.id,
          shopId: product.shopId,
          categoryId: product.categoryId,
          categoryAncestors: product.categoryAncestors,
        };
      } else {
        const category = q.categoryId ? await deps.categories.get(q.categoryId) : null;
        if (q.categoryId && !category)
          throw new ValidationError([{ field: 'query.categoryId', message: 'no such category' }]);
        subject = {
          productId: '',
          shopId: q.shopId ?? '',
          categoryId: category?.id ?? '',
          categoryAncestors: category?.ancestors ?? [],
        };
      }
      return commissionLine(
        resolveRule(await rules(), subject, now()),
        { sku: '', productId: subject.productId, qty: 1 },
        q.amount,
      );
    },
  };
}

export type CommissionService = ReturnType<typeof createCommissionService>;
