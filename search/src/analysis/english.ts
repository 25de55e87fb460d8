import { stemmer } from 'stemmer';

/**
 * English stemming with the Porter algorithm (the `stemmer` package), on complete words only: the word a
 * shopper is still typing is matched as typed (see query.ts), since a stemmer reads "candys" as "candi".
 * Porter conflates "charging"/"charges"/"charge" and "protective"/"protection", which plural folding did
 * not. Words with digits are model numbers and sizes and stay as they are.
 */

const STOPWORDS = new Set([
  'a',
  'an',
  'and',
  'the',
  'of',
  'for',
  'with',
  'in',
  'on',
  'to',
  'by',
  'at',
  'or',
  'from',
  'is',
]);

export function isStopword(word: string): boolean {
  return STOPWORDS.has(word);
}

/** Product vocabulary repeats endlessly across a catalog: stems are cached. */
const cache = new Map<string, string>();
const CACHE_LIMIT = 100_000;

/** The stem of a folded word ("headphones" → "headphon", "batteries" → "batteri"). */
export function stemEnglish(word: string): string {
  if (word.length <= 3 || /[^a-z]/.test(word)) return word;
  let stem = cache.get(word);
  if (stem === undefined) {
    stem = stemmer(word);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(word, stem);
  }
  return stem;
}
