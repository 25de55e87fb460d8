import { describe, expect, it } from 'vitest';
import { CATEGORY_CLASSES, categorySlug, createCategoryMatcher, matchCategory } from './category-mapping';

// A label list holding every class the table names (plus one it does not), in a fixed order.
const labels = ['tench', ...new Set(Object.values(CATEGORY_CLASSES).flatMap((names) => names ?? []))];
const index = (label: string) => labels.indexOf(label);
const matcher = createCategoryMatcher(labels);

describe('category mapping', () => {
  it('reads core category ids and slugs alike', () => {
    expect(categorySlug('cat_phone_cases')).toBe('phone-cases');
    expect(categorySlug('phone-cases')).toBe('phone-cases');
  });

  it('lets the deepest listed entry of the path decide', () => {
    const classes = matcher.classesFor(['phones-digital', 'mobile', 'phone-cases'])!;
    expect(classes.has(index('cellular telephone'))).toBe(true);
    expect(classes.has(index('wallet'))).toBe(true);
    expect(classes.has(index('espresso'))).toBe(false);
  });

  it('falls back to the nearest listed ancestor of an unknown category', () => {
    expect(matcher.classesFor(['food-fresh', 'coffee', 'cold-brew-kits'])!.has(index('espresso'))).toBe(true);
  });

  it('gives a branch the union of its covered leaves', () => {
    const branch = matcher.classesFor(['cat_food_fresh'])!;
    expect(branch.has(index('espresso'))).toBe(true);
    expect(branch.has(index('strawberry'))).toBe(true);
  });

  it('is null for an uncovered category, without walking up to its parent', () => {
    expect(matcher.classesFor(['phones-digital', 'mobile', 'screen-protectors'])).toBeNull();
    expect(matcher.classesFor(['something-else'])).toBeNull();
    expect(matcher.classesFor([])).toBeNull();
  });

  it('refuses a label list that lacks a class the table names', () => {
    expect(() => createCategoryMatcher(['tench', 'goldfish'])).toThrow(/unknown ImageNet class/);
  });

  it('matches on a mapped class in the top 5 or on enough summed probability', () => {
    const probabilities = new Float32Array(labels.length);
    const classes = matcher.classesFor(['coffee'])!;
    probabilities[index('espresso')] = 0.06;
    probabilities[index('cup')] = 0.05;
    probabilities[0] = 0.89;
    expect(matchCategory(probabilities, classes, [0])).toEqual({
      matches: true,
      score: expect.closeTo(0.11, 5),
    });
    probabilities[index('cup')] = 0;
    expect(matchCategory(probabilities, classes, [0]).matches).toBe(false);
    expect(matchCategory(probabilities, classes, [0, index('espresso')]).matches).toBe(true);
    expect(matchCategory(probabilities, null, [0])).toEqual({ matches: null, score: 0 });
  });
});
