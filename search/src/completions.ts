import { escapeHtml, foldPhrase, foldText, isHan, isStopword, splitRuns } from './analysis';
import type { Suggestion } from './types';

/** A product name the completions are read from, weighted by how much shoppers want the product. */
export interface NamedProduct {
  name: string;
  weight: number;
}

/** Chinese completions run at most this many characters past what was typed. */
const MAX_HAN_EXTENSION = 6;

/**
 * Query completions ("samsung gal" → "samsung galaxy", "samsung galaxy s24"): what shoppers would type
 * next, read from the names of the products the typed text matches, so every completion finds something.
 * The typed words must appear in order in a name, the last one as the start of a word; the completion is
 * that word finished, and that word plus the next one unless it is a stopword. Chinese input is finished
 * to the end of the run of characters it starts in the name (蓝牙 → 蓝牙降噪耳机). Ranked by the summed
 * weight of the names that contain them; each is a plain query (no product), and never a whole name.
 */
export function queryCompletions(typed: string, names: Iterable<NamedProduct>, limit: number): Suggestion[] {
  if (limit <= 0) return [];
  const folded = foldText(typed).trim();
  if (!folded) return [];
  const weights = new Map<string, number>();
  const add = (text: string, weight: number) => {
    if (text === folded) return;
    weights.set(text, (weights.get(text) ?? 0) + weight);
  };
  const chinese = isHan(folded);
  const typedWords = splitRuns(folded).map((run) => run.text);
  const complete = /\s$/.test(typed);
  // A completion that is a whole product name is that product's suggestion, not a query.
  const wholeNames = new Set<string>();
  for (const { name, weight } of names) {
    wholeNames.add(foldPhrase(name));
    const w = Math.max(1, weight);
    if (chinese) {
      const completion = hanCompletion(folded, foldText(name));
      if (completion) add(completion, w);
      continue;
    }
    const words = splitRuns(foldText(name))
      .filter((run) => !run.han)
      .map((run) => run.text);
    const at = findTyped(words, typedWords, complete);
    if (at < 0) continue;
    const head = typedWords.slice(0, -1);
    const finished = [...head, words[at]!].join(' ');
    add(finished, w);
    const next = words[at + 1];
    if (next && !isStopword(next) && next.length > 1) add(`${finished} ${next}`, w / 2);
  }
  return [...weights]
    .filter(([text]) => !wholeNames.has(text))
    .sort((a, b) => b[1] - a[1] || a[0].length - b[0].length || a[0].localeCompare(b[0]))
    .slice(0, limit)
    .map(([text]) => ({ text, highlighted: highlightCompletion(text, folded) }));
}

/** Where in `words` the typed words end (the index of the word the last typed one starts), or -1. */
function findTyped(words: string[], typedWords: string[], complete: boolean): number {
  const last = typedWords.at(-1);
  if (!last) return -1;
  const before = typedWords.length - 1;
  for (let i = before; i < words.length; i++) {
    const word = words[i]!;
    if (complete ? word !== last : !word.startsWith(last)) continue;
    let ok = true;
    for (let k = 0; k < before && ok; k++) ok = words[i - before + k] === typedWords[k];
    if (ok) return i;
  }
  return -1;
}

function hanCompletion(typed: string, name: string): string | null {
  const at = name.indexOf(typed);
  if (at < 0) return null;
  let end = at + typed.length;
  while (end < name.length && end - at - typed.length < MAX_HAN_EXTENSION && isHan(name[end]!)) end++;
  return end > at + typed.length ? name.slice(at, end) : null;
}

/** The typed part marked, as the other suggestions mark what matched. */
function highlightCompletion(text: string, typed: string): string {
  return text.startsWith(typed)
    ? `<mark>${escapeHtml(typed)}</mark>${escapeHtml(text.slice(typed.length))}`
    : escapeHtml(text);
}
