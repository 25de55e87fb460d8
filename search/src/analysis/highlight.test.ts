import { describe, expect, it } from 'vitest';
import { highlightFragment, highlightTermsOf, highlightText } from './highlight';

const LONG =
  'A sturdy everyday bag for commuters. '.repeat(8) +
  'The padded sleeve fits laptops up to 15 inches & keeps "chargers" apart. ' +
  'Water-resistant canvas, brass zips. '.repeat(8);

describe('highlightFragment', () => {
  it('marks a passage of about the asked size around the first match, starting at a word', () => {
    const fragment = highlightFragment(LONG, highlightTermsOf(['laptop']), 160)!;
    expect(fragment).toContain('<mark>laptops</mark>');
    expect(fragment).toContain('&amp;');
    const plain = fragment.replace(/<\/?mark>/g, '');
    // Whole words at both ends: the passage is a slice of the text between spaces.
    const unescaped = plain.replace(/&amp;/g, '&').replace(/&quot;/g, '"');
    expect(unescaped.length).toBeLessThanOrEqual(160);
    expect(unescaped.length).toBeGreaterThan(100);
    expect(LONG).toContain(unescaped);
    expect(LONG[LONG.indexOf(unescaped) - 1]).toMatch(/\s/);
  });

  it('is the whole marked text when the text is short, and null without a match', () => {
    const terms = highlightTermsOf(['charger']);
    expect(highlightFragment('Fast chargers for phones', terms)).toBe(
      highlightText('Fast chargers for phones', terms),
    );
    expect(highlightFragment(LONG, highlightTermsOf(['tripod']))).toBeNull();
  });

  it('finds Chinese strings and prefixes, whichever comes first', () => {
    const text = `${'适合日常通勤使用。'.repeat(30)}内置蓝牙耳机，${'续航持久。'.repeat(30)}`;
    const fragment = highlightFragment(text, highlightTermsOf(['蓝牙']), 60)!;
    expect(fragment).toContain('<mark>蓝牙</mark>');
    const prefixed = highlightFragment(LONG, highlightTermsOf([], ['lapt']), 160)!;
    expect(prefixed).toContain('<mark>laptops</mark>');
  });
});
