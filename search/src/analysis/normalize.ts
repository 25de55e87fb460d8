/**
 * Character-level normalisation shared by indexing, querying, highlighting and phrase matching, so that
 * every path folds text the same way: full-width forms to ASCII (NFKC), lower case, and accents
 * stripped ("Nescafé" is found by "nescafe", the way shoppers type it).
 */

const COMBINING_MARKS = /\p{M}+/gu;
const HAN = /\p{Script=Han}/u;
const HAN_RUN = /(\p{Script=Han}+)/u;
/** Letters and digits; everything else (spaces, punctuation, symbols) separates words. */
const WORD_RUN = /[\p{L}\p{N}]+/gu;
/** "men's" → "men": a possessive is not a separate word. */
const POSSESSIVE = /['’]s\b/gu;

export function foldText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(POSSESSIVE, '')
    .normalize('NFD')
    .replace(COMBINING_MARKS, '')
    .normalize('NFC');
}

export function isHan(text: string): boolean {
  return HAN.test(text);
}

/** One run of a text: a Latin/digit word or a run of Chinese characters (which has no spaces to split on). */
export interface TextRun {
  text: string;
  han: boolean;
}

/** Splits already folded text into Latin words and Han runs, in order ("s6手机壳" → "s6", "手机壳"). */
export function splitRuns(folded: string): TextRun[] {
  const runs: TextRun[] = [];
  for (const match of folded.matchAll(WORD_RUN)) {
    if (!HAN.test(match[0])) {
      runs.push({ text: match[0], han: false });
      continue;
    }
    for (const part of match[0].split(HAN_RUN)) {
      if (part) runs.push({ text: part, han: HAN.test(part) });
    }
  }
  return runs;
}

/** Text reduced to its words separated by single spaces, for exact-phrase comparison. */
export function foldPhrase(text: string): string {
  return splitRuns(foldText(text))
    .map((run) => run.text)
    .join(' ');
}
