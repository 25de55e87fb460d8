import { foldText, highlightTermsOf, highlightText, isHan, type ParsedQuery } from '../analysis';
import { queryCompletions } from '../completions';
import type { SearchDocument, Suggestion } from '../types';
import type { TextMatch } from './text-index';

/** Matches weaker than this share of the best one are typo noise, not suggestions. */
const MIN_SCORE_SHARE = 0.3;
const CANDIDATES = 200;
/** Queries lead the list (completions, then brands and categories), but never crowd out products. */
const MAX_COMPLETIONS = 3;
const MAX_GROUP_SUGGESTIONS = 2;

/**
 * Autocomplete from the name, brand and category fields: query completions read from the matching
 * names first ("samsung gal" → "samsung galaxy"), then brands and categories when the shopper typed one
 * word of them ("sams" → Samsung), then product names ranked by popularity among the good text matches,
 * in the language the shopper is typing.
 */
export function buildSuggestions(
  parsed: ParsedQuery,
  matches: Map<string, TextMatch>,
  docs: ReadonlyMap<string, SearchDocument>,
  typed: string,
  limit: number,
): Suggestion[] {
  if (!matches.size || limit <= 0) return [];
  const chinese = isHan(typed);
  const lastClause = parsed.clauses.at(-1);
  const prefixes = lastClause?.prefix ? lastClause.terms : [];
  let top = 0;
  for (const match of matches.values()) top = Math.max(top, match.score);
  const candidates: { doc: SearchDocument; match: TextMatch }[] = [];
  for (const [id, match] of matches) {
    const doc = docs.get(id);
    if (doc && match.score >= top * MIN_SCORE_SHARE) candidates.push({ doc, match });
  }
  candidates.sort((a, b) => b.doc.popularity - a.doc.popularity || b.match.score - a.match.score);
  const best = candidates.slice(0, CANDIDATES);

  const out: Suggestion[] = [];
  const seen = new Set<string>();
  const push = (text: string, terms: string[], productId?: string) => {
    const key = foldText(text);
    if (seen.has(key) || out.length >= limit) return;
    const highlighted = highlightText(text, highlightTermsOf(terms, prefixes));
    if (!highlighted.includes('<mark>')) return;
    seen.add(key);
    out.push(productId ? { text, productId, highlighted } : { text, highlighted });
  };

  const named = best.map(({ doc }) => ({ name: chinese ? doc.nameZh : doc.name, weight: doc.popularity }));
  for (const completion of queryCompletions(typed, named, MAX_COMPLETIONS)) {
    const key = foldText(completion.text);
    if (seen.has(key) || out.length >= limit) continue;
    seen.add(key);
    out.push(completion);
  }

  if (parsed.clauses.length === 1) {
    const groups = new Map<string, { popularity: number; terms: string[] }>();
    for (const { doc, match } of best) {
      const names = doc.categoryNames.filter((name) => isHan(name) === chinese);
      for (const text of [doc.brand, ...names]) {
        const group = groups.get(text) ?? { popularity: 0, terms: match.terms };
        group.popularity += doc.popularity + 1;
        groups.set(text, group);
      }
    }
    const ranked = [...groups].sort((a, b) => b[1].popularity - a[1].popularity);
    let added = 0;
    for (const [text, group] of ranked) {
      if (added >= MAX_GROUP_SUGGESTIONS) break;
      const before = out.length;
      push(text, group.terms);
      if (out.length > before) added++;
    }
  }
  for (const { doc, match } of best) {
    if (out.length >= limit) break;
    push(chinese ? doc.nameZh : doc.name, match.terms, doc.id);
  }
  return out;
}
