import { editDistance, isHan, stemEnglish, type ParsedQuery } from '../analysis';

/** Edits allowed when correcting: more generous than search-time typo tolerance, which already failed. */
function correctionBudget(term: string): number {
  if (term.length <= 2) return 0;
  if (term.length <= 4) return 1;
  return 2;
}

/**
 * The closest indexed term by edit distance; among equally close terms the most frequent wins (a shopper
 * who typed "chager" more likely meant the common "charger" than a rare brand name).
 */
function closestTerm(
  term: string,
  vocabulary: ReadonlyMap<string, number>,
  accept: (candidate: string) => boolean = () => true,
): string | null {
  const budget = correctionBudget(term);
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
  for (const word of words.keys()) if (word.length > prefix.length && word.startsWith(prefix)) return true;
  return false;
}
