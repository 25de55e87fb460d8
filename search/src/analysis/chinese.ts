/**
 * Chinese has no spaces, and `Intl.Segmenter` (ICU's dictionary) splits product vocabulary unevenly
 * ("华为" → "华|为", "连衣裙" → "连|衣裙"). So a Han run is indexed three ways: every character, every
 * bigram (so any query segmentation still lines up: 蓝牙耳机 matches 无线蓝牙耳机 through 蓝牙 + 牙耳 + 耳机)
 * and the segmenter's longer words (a query word that the segmenter also found scores higher).
 */

const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });

/** Words of a Han run according to ICU (used for query pieces and for longer index words). */
export function segmentChinese(run: string): string[] {
  const words: string[] = [];
  for (const s of segmenter.segment(run)) if (s.isWordLike !== false) words.push(s.segment);
  return words;
}

export function hanBigrams(run: string): string[] {
  const chars = Array.from(run);
  const grams: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) grams.push(chars[i]! + chars[i + 1]!);
  return grams;
}

/**
 * Index terms of one Han run; `unigrams: false` (long texts) keeps single characters only for one-character
 * runs, since single-character queries are about names and categories and a description's characters
 * would double the index. Segmentation is cached: category names, tags and attribute values repeat
 * across thousands of products, and ICU segmentation is the slowest step of indexing.
 */
const cache = new Map<string, string[]>();
const CACHE_LIMIT = 50_000;

export function hanIndexTerms(run: string, unigrams = true): string[] {
  const key = unigrams ? run : `-${run}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const chars = Array.from(run);
  const terms = unigrams || chars.length === 1 ? chars : [];
  if (chars.length > 1) terms.push(...hanBigrams(run));
  if (chars.length > 2)
    for (const word of segmentChinese(run)) if (Array.from(word).length >= 3) terms.push(word);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, terms);
  return terms;
}

/**
 * Query terms for one Han word: all of them must match. One or two characters are a term of their own;
 * longer words become their bigrams (the word itself is offered as an alternative by the query builder).
 */
export function hanQueryTerms(word: string): string[] {
  return Array.from(word).length <= 2 ? [word] : hanBigrams(word);
}
