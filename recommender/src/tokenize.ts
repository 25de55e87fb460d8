import type { ItemInfo } from './types';

const STOPWORDS = new Set(['a', 'an', 'and', 'the', 'of', 'for', 'with', 'in', 'on', 'to', 'by', 'or', 'is']);
const HAN_RUN = /\p{Script=Han}+/gu;
const WORD = /[\p{L}\p{N}]+/gu;

/**
 * Words of a text: NFKC-folded and lowercased; Chinese has no spaces, so a Han run becomes its character
 * bigrams (a lone character stays a unigram) — 无线蓝牙耳机 and 蓝牙耳机 then share 蓝牙, 牙耳, 耳机 whatever
 * a segmenter would have made of them. Other words of one letter and stopwords are dropped.
 */
export function textTokens(text: string): string[] {
  const folded = text.normalize('NFKC').toLowerCase();
  const tokens: string[] = [];
  for (const [run] of folded.matchAll(HAN_RUN)) {
    const chars = Array.from(run);
    if (chars.length === 1) tokens.push(run);
    for (let i = 0; i + 1 < chars.length; i++) tokens.push(chars[i]! + chars[i + 1]!);
  }
  for (const [word] of folded.replace(HAN_RUN, ' ').matchAll(WORD)) {
    if ((word.length > 1 || /\d/.test(word)) && !STOPWORDS.has(word)) tokens.push(word);
  }
  return tokens;
}

/**
 * Everything content similarity compares: text words, `attr:key=value` per attribute, `brand:` and one
 * `cat:` per category of the path (a shared leaf counts more than a shared root through IDF alone).
 */
export function itemTokens(item: ItemInfo): string[] {
  const tokens = textTokens(item.text);
  for (const [key, value] of Object.entries(item.attributes)) tokens.push(`attr:${fold(key)}=${fold(value)}`);
  if (item.brand) tokens.push(`brand:${fold(item.brand)}`);
  for (const category of new Set([...item.categoryPath, item.categoryId])) tokens.push(`cat:${category}`);
  return tokens;
}

function fold(value: string): string {
  return value.normalize('NFKC').toLowerCase().trim();
}
