import { describe, expect, it } from 'vitest';
import { editDistance, isHan, parseQuery, stemEnglish } from '../analysis';
import { correctQuery, forgetVocabulary, understoodQuery } from './did-you-mean';

/**
 * "Did you mean" written the plain way — every word of the vocabulary compared in its order, the
 * accept test first — which the length-grouped index must answer exactly like, ties included.
 */
function plainClosest(
  term: string,
  vocabulary: ReadonlyMap<string, number>,
  accept: (candidate: string) => boolean = () => true,
): string | null {
  const budget = term.length <= 2 ? 0 : term.length <= 4 ? 1 : 2;
  if (!budget) return null;
  let best: string | null = null;
  let bestDistance = budget + 1;
  let bestCount = 0;
  for (const [candidate, count] of vocabulary) {
    if (Math.abs(candidate.length - term.length) > budget || isHan(candidate)) continue;
    if (candidate === term || !accept(candidate)) continue;
    const distance = editDistance(term, candidate, Math.min(budget, bestDistance));
    if (distance < bestDistance || (distance === bestDistance && count > bestCount)) {
      if (distance > budget) continue;
      best = candidate;
      bestDistance = distance;
      bestCount = count;
    }
  }
  return best;
}

/** A small deterministic generator, so a failure reproduces. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

describe('did you mean', () => {
  const next = random(20);
  const letters = 'aeioucrstnlph';
  const word = (length: number) =>
    Array.from({ length }, () => letters[Math.floor(next() * letters.length)]).join('');
  // Many near neighbours with few distinct counts: ties on distance and on count are common.
  const vocabulary = new Map<string, number>();
  for (let i = 0; i < 4000; i++) vocabulary.set(word(3 + Math.floor(next() * 6)), 1 + Math.floor(next() * 3));
  vocabulary.set('蓝牙', 5);
  const typed = Array.from({ length: 300 }, () => word(3 + Math.floor(next() * 6)));

  it('corrects each word to what a scan of the whole vocabulary finds, ties broken the same', () => {
    let corrected = 0;
    for (const q of typed) {
      const parsed = parseQuery(`${q} `);
      const term = parsed.clauses[0]!.terms[0]!; // stemmed
      const expected = vocabulary.has(term) ? null : plainClosest(term, vocabulary);
      expect(correctQuery(parsed, vocabulary), q).toBe(expected);
      if (expected) corrected++;
    }
    expect(corrected).toBeGreaterThan(100);
  });

  it('says how the query was understood as the plain scan would, and keeps up as words are added', () => {
    const matchedTerms = new Set([...vocabulary.keys()].filter((_, i) => i % 3 === 0).map(stemEnglish));
    const vocabularies = { terms: new Map<string, number>(), words: vocabulary };
    const check = () => {
      for (const q of typed.slice(0, 100)) {
        const parsed = parseQuery(`${q} `);
        const closest = plainClosest(q, vocabulary, (w) => matchedTerms.has(stemEnglish(w)));
        const expected = vocabulary.has(q) || !closest ? null : closest;
        expect(understoodQuery(parsed, vocabularies, matchedTerms), q).toBe(expected);
      }
    };
    check();
    for (let i = 0; i < 500; i++) vocabulary.set(word(3 + Math.floor(next() * 6)), 2);
    check();
    // Emptied and filled again: the index starts over.
    const words = [...vocabulary];
    vocabulary.clear();
    forgetVocabulary(vocabulary);
    for (const [w, count] of words.reverse()) vocabulary.set(w, count);
    check();
  });

  it('keeps a half-typed last word that begins a known word', () => {
    const words = new Map([
      ['plantronics', 4],
      ['plans', 3],
    ]);
    const vocabularies = { terms: new Map<string, number>(), words };
    const understood = (q: string) => understoodQuery(parseQuery(q), vocabularies, new Set(['plantron']));
    expect(understood('plantr')).toBeNull(); // begins "plantronics"
    expect(understood('plantronicz ')).toBe('plantronics');
  });
});
