import { hanIndexTerms } from './chinese';
import { isStopword, stemEnglish } from './english';
import { foldText, splitRuns } from './normalize';

/**
 * The index-time analyzer: folded, stop words dropped, English words stemmed (Porter), Chinese as
 * characters, bigrams and segmenter words. Query-time analysis (query.ts) produces terms from the same
 * functions, which is what makes them meet.
 *
 * `surfaces`: a word whose stem differs is also indexed as written ("charging" as "charg" and
 * "charging"), so the word a shopper is still typing can be matched as a prefix of what sellers wrote
 * ("chargi" is a start of "charging", not of "charg"). Only for short fields, where prefixes matter.
 */
export function tokenizeForIndex(
  text: string,
  options: { unigrams?: boolean; surfaces?: boolean } = {},
): string[] {
  const terms: string[] = [];
  const unigrams = options.unigrams ?? true;
  for (const run of splitRuns(foldText(text))) {
    if (run.han) terms.push(...hanIndexTerms(run.text, unigrams));
    else if (!isStopword(run.text)) {
      const stem = stemEnglish(run.text);
      terms.push(stem);
      if (options.surfaces && stem !== run.text) terms.push(run.text);
    }
  }
  return terms;
}

/** The analyzed form of one Latin word as it appears in a text (for highlighting and vocabulary). */
export function analyzeWord(word: string): string {
  return stemEnglish(foldText(word));
}

/** Latin words of a text as written (folded, unstemmed): what "a complete word" is checked against. */
export function surfaceWords(text: string): string[] {
  return splitRuns(foldText(text))
    .filter((run) => !run.han)
    .map((run) => run.text);
}

/**
 * A title in two parts: what the product is, and what it fits ("Defender Case" / "Apple iPhone 7" of
 * "Defender Case for Apple iPhone 7"; in Chinese, the devices after 适用 up to the closing noun:
 * "Octane 适用苹果iPhone 7 保护壳" → "Octane 保护壳" / "苹果iPhone 7"). A case for an iPhone is not an iPhone.
 */
export function splitTitle(title: string): { product: string; fits: string } {
  const en = /\s+for\s+/i.exec(title);
  if (en) return { product: title.slice(0, en.index), fits: title.slice(en.index + en[0].length) };
  const at = title.indexOf('适用');
  if (at < 0) return { product: title, fits: '' };
  const rest = title
    .slice(at + 2)
    .trim()
    .split(/\s+/);
  const noun = rest.length > 1 && /^\p{Script=Han}+$/u.test(rest.at(-1)!) ? rest.pop()! : '';
  return { product: `${title.slice(0, at).trim()} ${noun}`.trim(), fits: rest.join(' ') };
}
