import { describe, expect, it } from 'vitest';
import { ctcGreedyDecode, paddleCharset } from './ctc';

const charset = paddleCharset('a\nb\nc\n电\n话\n');

/** One-hot-ish rows: each step puts `p` on the given class and spreads the rest evenly. */
function steps(classes: number[], p = 0.9): Float32Array {
  const n = charset.characters.length + 1;
  const out = new Float32Array(classes.length * n).fill((1 - p) / (n - 1));
  classes.forEach((c, t) => (out[t * n + c] = p));
  return out;
}
const decode = (classes: number[], p?: number) =>
  ctcGreedyDecode(steps(classes, p), classes.length, charset.characters.length + 1, charset);

describe('paddleCharset', () => {
  it('appends the space class after the dictionary and ignores the trailing newline', () => {
    expect(charset.characters).toEqual(['a', 'b', 'c', '电', '话', ' ']);
  });
});

describe('ctcGreedyDecode', () => {
  it('merges repeated classes and drops blanks', () => {
    expect(decode([0, 1, 1, 0, 2, 2, 2, 0, 0, 3]).text).toBe('abc');
  });

  it('keeps a doubled character that a blank separates', () => {
    expect(decode([1, 0, 1, 1, 0, 4, 5]).text).toBe('aa电话');
  });

  it('maps the last class to a space and trims the ends', () => {
    expect(decode([6, 1, 6, 2, 6]).text).toBe('a b');
  });

  it('averages the probabilities of emitted characters only', () => {
    const decoded = decode([0, 0, 1, 1, 0, 2], 0.8);
    expect(decoded.text).toBe('ab');
    expect(decoded.confidence).toBeCloseTo(0.8, 5);
  });

  it('reads nothing from an all-blank line with confidence 0', () => {
    expect(decode([0, 0, 0])).toEqual({ text: '', confidence: 0 });
  });

  it('refuses a charset that does not fit the model output', () => {
    expect(() => ctcGreedyDecode(new Float32Array(10), 2, 5, charset)).toThrow(/classes/);
  });
});
