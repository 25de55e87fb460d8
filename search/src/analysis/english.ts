/**
 * Light English normalisation: plural folding rather than a full Porter stemmer. Product names are
 * mostly nouns, and an aggressive stemmer conflates words shoppers keep apart ("gaming"/"game",
 * "cooker"/"cook") while plural folding alone makes "headphones" find "headphone".
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

/** Singular form of a folded word; words that merely end in "s" ("glass", "bus", "axis") stay. */
export function stemEnglish(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (/(?:ss|x|ch|sh)es$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s') && !/(?:ss|us|is)$/.test(word)) return word.slice(0, -1);
  return word;
}
