import { editDistance, isHan, stemEnglish, type ParsedQuery } from '../analysis';

/** Edits allowed when correcting: more generous than search-time typo tolerance, which already failed. */
function correctionBudget(term: string): number {
  if (term.length <= 2) return 0;
  if (term.length <= 4) return 1;
  return 2;
}

/**
 * A vocabulary's Latin words grouped by length, each with its position in the vocabulary's own order,
 * and all of them sorted: "did you mean" only compares words of about the typed length, and "begins a
 * known word" is a binary search. Vocabularies only grow (new words go to the end of the map) until they
 * are emptied (`forgetVocabulary`), so the index catches up by reading the words added since it was built.
 */
interface VocabularyIndex {
  /** Words of the vocabulary read so far (in map order; Chinese ones too). */
  read: number;
  byLength: { words: string[]; order: number[]; masks: number[] }[];
  sorted: string[];
  unsorted: string[];
}

const indexes = new WeakMap<ReadonlyMap<string, number>, VocabularyIndex>();

/** Drops the index of an emptied vocabulary (its next words may be as many as before, but others). */
export function forgetVocabulary(vocabulary: ReadonlyMap<string, number>): void {
  indexes.delete(vocabulary);
}

function indexOf(vocabulary: ReadonlyMap<string, number>): VocabularyIndex {
  let index = indexes.get(vocabulary);
  if (!index || index.read > vocabulary.size) {
    index = { read: 0, byLength: [], sorted: [], unsorted: [] };
    indexes.set(vocabulary, index);
  }
  if (index.read < vocabulary.size) {
    let position = 0;
    for (const word of vocabulary.keys()) {
      if (position >= index.read) {
        index.unsorted.push(word);
        if (!isHan(word)) {
          const group = (index.byLength[word.length] ??= { words: [], order: [], masks: [] });
          group.words.push(word);
          group.order.push(position);
          group.masks.push(characterMask(word));
        }
      }
      position++;
    }
    index.read = position;
  }
  return index;
}

/**
 * The characters of a word as bits (character code modulo 32: letters get a bit each, other characters
 * may share one). A character of one word that the other lacks needs an edit of its own, so the bits one
 * word has and the other lacks, counted each way, bound the edit distance from below.
 */
function characterMask(word: string): number {
  let mask = 0;
  for (let i = 0; i < word.length; i++) mask |= 1 << (word.charCodeAt(i) & 31);
  return mask;
}

function bitCount(bits: number): number {
  let count = 0;
  while (bits) {
    bits &= bits - 1;
    count++;
  }
  return count;
}

function sortedWords(index: VocabularyIndex): string[] {
  if (index.unsorted.length) {
    const added = index.unsorted.sort();
    const merged: string[] = [];
    let i = 0;
    let j = 0;
    while (i < index.sorted.length || j < added.length)
      merged.push(
        j >= added.length || (i < index.sorted.length && index.sorted[i]! < added[j]!)
          ? index.sorted[i++]!
          : added[j++]!,
      );
    index.sorted = merged;
    index.unsorted = [];
  }
  return index.sorted;
}

/**
 * The closest indexed term by edit distance; among equally close terms the most frequent wins (a shopper
 * who typed "chager" more likely meant the common "charger" than a rare brand name), and among equally
 * frequent ones the first in the vocabulary's order. Only words of about the typed length are compared,
 * those whose characters already differ too much are passed over without computing the distance, and
 * `accept` is asked only of a word close enough to win.
 */
function closestTerm(
  term: string,
  vocabulary: ReadonlyMap<string, number>,
  accept: (candidate: string) => boolean = () => true,
): string | null {
  const budget = correctionBudget(term);
  if (!budget) return null;
  const { byLength } = indexOf(vocabulary);
  let best: string | null = null;
  let bestDistance = budget + 1;
  let bestCount = 0;
  let bestOrder = Infinity;
  const mask = characterMask(term);
  for (let length = Math.max(0, term.length - budget); length <= term.length + budget; length++) {
    const group = byLength[length];
    if (!group) continue;
    const { words, order, masks } = group;
    for (let i = 0; i < words.length; i++) {
      const bound = Math.min(budget, bestDistance);
      const other = masks[i]!;
      if (bitCount(mask & ~other) > bound || bitCount(other & ~mask) > bound) continue;
      const candidate = words[i]!;
      if (candidate === term) continue;
      const distance = editDistance(term, candidate, bound);
      if (distance > budget || distance > bestDistance) continue;
      const count = vocabulary.get(candidate) ?? 0;
      const wins =
        distance < bestDistance || count > bestCount || (count === bestCount && order[i]! < bestOrder);
      if (!wins || !accept(candidate)) continue;
      best = candidate;
      bestDistance = distance;
      bestCount = count;
      bestOrder = order[i]!;
    }
  }
  return best;
}

/**
 * A corrected query, each unknown Latin word replaced by its closest indexed term, or null when nothing
 * could be corrected. The caller runs it and only proposes it if it finds something.
 */
export function correctQuery(parsed: ParsedQuery, vocabulary: ReadonlyMap<string, number>): string | null {
  let changed = false;
  const words = parsed.clauses.map((clause) => {
    if (clause.han || clause.terms.length !== 1) return clause.surface;
    const term = clause.terms[0]!;
    if (vocabulary.has(term)) return clause.surface;
    const corrected = closestTerm(term, vocabulary);
    if (!corrected) return clause.surface;
    changed = true;
    return corrected;
  });
  return changed ? words.join(' ') : null;
}

/**
 * "Showing results for …": the query as the engine understood it when typo tolerance found the results
 * through words the shopper did not type. Each typed Latin word the catalog does not know (and, for the
 * last word, that begins no known word) becomes the closest word sellers wrote whose stem is among
 * `matchedTerms`, the index terms the shown results actually matched, so the sentence names what is on
 * the page. Null when every word was found as typed or no such word exists.
 */
export function understoodQuery(
  parsed: ParsedQuery,
  vocabularies: { terms: ReadonlyMap<string, number>; words: ReadonlyMap<string, number> },
  matchedTerms: ReadonlySet<string>,
): string | null {
  if (!matchedTerms.size) return null;
  let changed = false;
  const words = parsed.clauses.map((clause) => {
    if (clause.han || clause.terms.length !== 1 || !clause.typed) return clause.surface;
    const typed = clause.typed;
    if (vocabularies.words.has(typed) || vocabularies.terms.has(clause.terms[0]!)) return clause.surface;
    if (clause.prefix && beginsAKnownWord(typed, vocabularies.words)) return clause.surface;
    const corrected = closestTerm(typed, vocabularies.words, (word) => matchedTerms.has(stemEnglish(word)));
    if (!corrected) return clause.surface;
    changed = true;
    return corrected;
  });
  return changed ? words.join(' ') : null;
}

function beginsAKnownWord(prefix: string, words: ReadonlyMap<string, number>): boolean {
  const sorted = sortedWords(indexOf(words));
  // The first word not before the prefix, then the one after it when that is the prefix itself.
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < prefix) lo = mid + 1;
    else hi = mid;
  }
  if (sorted[lo] === prefix) lo++;
  return sorted[lo]?.startsWith(prefix) ?? false;
}
