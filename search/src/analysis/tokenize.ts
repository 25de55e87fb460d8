import { hanIndexTerms } from './chinese';
import { isStopword, stemEnglish } from './english';
import { foldText, splitRuns } from './normalize';

/**
 * The index-time analyzer: folded, stop words dropped, English plurals folded, Chinese as characters,
 * bigrams and segmenter words. Query-time analysis (query.ts) produces terms from the same functions,
 * which is what makes them meet.
 */
export function tokenizeForIndex(text: string, options: { unigrams?: boolean } = {}): string[] {
  const terms: string[] = [];
  const unigrams = options.unigrams ?? true;
  for (const run of splitRuns(foldText(text))) {
    if (run.han) terms.push(...hanIndexTerms(run.text, unigrams));
    else if (!isStopword(run.text)) terms.push(stemEnglish(run.text));
  }
  return terms;
}

/** The analyzed form of one Latin word as it appears in a text (for highlighting and vocabulary). */
export function analyzeWord(word: string): string {
  return stemEnglish(foldText(word));
}
