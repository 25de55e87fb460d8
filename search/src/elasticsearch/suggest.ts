import type { estypes } from '@elastic/elasticsearch';
import { queryCompletions } from '../completions';
import type { SearchDocument, Suggestion } from '../types';
import { FUZZINESS, HIGHLIGHT_TAGS, withRanking, type SearchBody } from './query';

const HAN = /\p{Script=Han}/u;

const autocompleteFields = (field: 'name' | 'nameZh') => [
  `${field}.autocomplete`,
  `${field}.autocomplete._2gram`,
  `${field}.autocomplete._3gram`,
];

/**
 * Autocomplete: product names that start with what was typed, word by word (`search_as_you_type`, the
 * last word a prefix), plus whole words with typos ("iphnoe 15") — ranked like search (in stock,
 * popular). More hits than `limit` are fetched because several products can share a name.
 */
export function buildSuggestRequest(prefix: string, limit: number): SearchBody {
  const query = prefix.trim();
  return {
    query: withRanking({
      bool: {
        minimum_should_match: 1,
        should: [
          {
            multi_match: {
              query,
              type: 'bool_prefix',
              operator: 'and',
              fields: [...autocompleteFields('name'), ...autocompleteFields('nameZh')],
            },
          },
          { match: { 'name.autocomplete': { query, operator: 'and', fuzziness: FUZZINESS, boost: 0.5 } } },
          { match: { brand: { query, boost: 0.5 } } },
        ],
      },
    }),
    size: Math.max(1, limit) * 3,
    _source: ['id', 'name', 'nameZh', 'popularity'],
    track_total_hits: false,
  };
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Marks the typed words in a suggestion: Latin words where a word starts with them, Chinese anywhere.
 * Done here rather than by the engine's highlighter, which cannot see prefix matches made on the
 * search_as_you_type sub-fields.
 */
export function highlightTyped(text: string, typed: string): string {
  const words = typed
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => (HAN.test(w) ? escapeRegExp(w) : `(?<![\\p{L}\\p{N}])${escapeRegExp(w)}`));
  if (!words.length) return escapeHtml(text);
  const pattern = new RegExp(words.sort((a, b) => b.length - a.length).join('|'), 'giu');
  let out = '';
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    if (!match[0]) continue;
    out +=
      escapeHtml(text.slice(last, match.index)) +
      HIGHLIGHT_TAGS.pre +
      escapeHtml(match[0]) +
      HIGHLIGHT_TAGS.post;
    last = match.index + match[0].length;
  }
  return out + escapeHtml(text.slice(last));
}

/** Query completions lead the list, but never crowd out products. */
const MAX_COMPLETIONS = 3;

/**
 * Hits → suggestions: query completions read from the hits' names first, then the products: the Chinese
 * name for a Chinese prefix, the English one otherwise; one per text.
 */
export function parseSuggestions(
  hits: estypes.SearchHit<Pick<SearchDocument, 'id' | 'name' | 'nameZh'> & { popularity?: number }>[],
  prefix: string,
  limit: number,
): Suggestion[] {
  const chinese = HAN.test(prefix);
  const seen = new Set<string>();
  const named = hits.flatMap((hit) =>
    hit._source
      ? [
          {
            name: (chinese ? hit._source.nameZh : hit._source.name) ?? '',
            weight: hit._source.popularity ?? 0,
          },
        ]
      : [],
  );
  const suggestions: Suggestion[] = queryCompletions(prefix, named, Math.min(MAX_COMPLETIONS, limit));
  for (const completion of suggestions) seen.add(completion.text.toLowerCase());
  for (const hit of hits) {
    const doc = hit._source;
    if (!doc) continue;
    const text = (chinese ? doc.nameZh || doc.name : doc.name || doc.nameZh).trim();
    const key = text.toLowerCase();
    if (!text || seen.has(key)) continue;
    seen.add(key);
    suggestions.push({ text, productId: doc.id ?? hit._id, highlighted: highlightTyped(text, prefix) });
    if (suggestions.length >= limit) break;
  }
  return suggestions;
}
