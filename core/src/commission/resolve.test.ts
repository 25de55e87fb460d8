import { describe, expect, it } from 'vitest';
import { commissionAmount, commissionLine, resolveRule } from './resolve';
import type { CommissionRule } from './types';

const at = new Date('2026-12-01T00:00:00Z');
let n = 0;
function rule(fields: Partial<CommissionRule>): CommissionRule {
  n++;
  return {
    id: `cr_${n}`,
    scope: 'global',
    targetId: null,
    kind: 'percent',
    rateBp: 500,
    fixedFen: 0,
    minFen: null,
    maxFen: null,
    activeFrom: null,
    activeTo: null,
    enabled: true,
    note: '',
    createdAt: at,
    updatedAt: new Date(at.getTime() + n),
    ...fields,
  };
}

const global = rule({ rateBp: 500 });
const electronics = rule({ scope: 'category', targetId: 'cat_electronics', rateBp: 300 });
const phones = rule({ scope: 'category', targetId: 'cat_phones', rateBp: 200 });
const shop = rule({ scope: 'shop', targetId: 'shop_a', rateBp: 800 });
const product = rule({ scope: 'product', targetId: 'p_1', kind: 'fixed', fixedFen: 150 });
const disabled = rule({ scope: 'product', targetId: 'p_2', rateBp: 9000, enabled: false });
const expired = rule({
  scope: 'shop',
  targetId: 'shop_b',
  rateBp: 100,
  activeTo: new Date('2026-11-01T00:00:00Z'),
});
const future = rule({
  scope: 'shop',
  targetId: 'shop_c',
  rateBp: 100,
  activeFrom: new Date('2027-01-01T00:00:00Z'),
});
const rules = [global, electronics, phones, shop, product, disabled, expired, future];

const subject = (productId: string, shopId: string, categoryId: string, ancestors: string[]) => ({
  productId,
  shopId,
  categoryId,
  categoryAncestors: ancestors,
});

describe('the most specific rule wins', () => {
  it.each([
    ['product beats shop and category', subject('p_1', 'shop_a', 'cat_phones', ['cat_electronics']), product],
    ['shop beats category', subject('p_9', 'shop_a', 'cat_phones', ['cat_electronics']), shop],
    [
      'the category itself beats its ancestor',
      subject('p_9', 'shop_z', 'cat_phones', ['cat_electronics']),
      phones,
    ],
    [
      'the nearest ancestor when the leaf has no rule',
      subject('p_9', 'shop_z', 'cat_android', ['cat_electronics', 'cat_phones']),
      phones,
    ],
    [
      'a farther ancestor when nearer ones have none',
      subject('p_9', 'shop_z', 'cat_tv', ['cat_electronics']),
      electronics,
    ],
    ['global when nothing else matches', subject('p_9', 'shop_z', 'cat_food', []), global],
    ['a disabled rule never matches', subject('p_2', 'shop_z', 'cat_food', []), global],
    ['an expired rule no longer matches', subject('p_9', 'shop_b', 'cat_food', []), global],
    ['a future rule does not match yet', subject('p_9', 'shop_c', 'cat_food', []), global],
  ])('%s', (_name, s, expected) => {
    expect(resolveRule(rules, s, at)?.id).toBe(expected.id);
  });

  it('no rule at all: no commission', () => {
    const line = commissionLine(
      resolveRule([], subject('p', 's', 'c', []), at),
      { sku: 'A', productId: 'p', qty: 1 },
      10_000,
    );
    expect(line).toMatchObject({ ruleId: null, amount: 0 });
  });

  it('of two rules for one target, the one changed last', () => {
    const older = rule({
      scope: 'shop',
      targetId: 'shop_x',
      rateBp: 100,
      updatedAt: new Date(at.getTime() - 10),
    });
    const newer = rule({
      scope: 'shop',
      targetId: 'shop_x',
      rateBp: 200,
      updatedAt: new Date(at.getTime() - 5),
    });
    expect(resolveRule([newer, older], subject('p', 'shop_x', 'c', []), at)?.id).toBe(newer.id);
    expect(resolveRule([older, newer], subject('p', 'shop_x', 'c', []), at)?.id).toBe(newer.id);
  });
});

describe('amounts', () => {
  it.each([
    ['5 % of 10000', rule({ rateBp: 500 }), 10_000, 1, 500],
    ['percent rounds half up', rule({ rateBp: 250 }), 1_234, 1, 31], // 30.85
    ['percent rounds down below half', rule({ rateBp: 250 }), 1_220, 1, 31], // 30.5 → 31
    ['fixed is per unit', rule({ kind: 'fixed', fixedFen: 150 }), 10_000, 3, 450],
    ['the minimum lifts a small line', rule({ rateBp: 100, minFen: 200 }), 5_000, 1, 200],
    ['the maximum caps a large line', rule({ rateBp: 1000, maxFen: 5_000 }), 1_000_000, 1, 5_000],
    ['never above the base', rule({ kind: 'fixed', fixedFen: 900, minFen: 800 }), 500, 1, 500],
    ['zero base, zero commission', rule({ rateBp: 500, minFen: 100 }), 0, 1, 0],
  ])('%s', (_name, r, base, qty, expected) => {
    expect(commissionAmount(r, base, qty)).toBe(expected);
  });
});
