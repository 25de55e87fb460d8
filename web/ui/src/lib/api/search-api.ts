import type { HttpClient } from './http-client';
import { toSearchParams, type SearchState } from '../search-state';
import type { SearchResult, Suggestion } from './wire';

export type {
  FacetValue,
  SearchCard,
  SearchDocument,
  SearchFacets,
  SearchHit,
  SearchResult,
  Suggestion,
} from './wire';
export type { SearchSort } from '@market/search/browser';

export interface SearchApi {
  search(state: SearchState, signal?: AbortSignal): Promise<SearchResult>;
  suggest(prefix: string, limit: number, signal?: AbortSignal): Promise<Suggestion[]>;
}

export function createSearchApi(http: HttpClient): SearchApi {
  return {
    search: (state, signal) =>
      http.get('/api/search', { query: Object.fromEntries(toSearchParams(state, { api: true })), signal }),
    async suggest(prefix, limit, signal) {
      const { suggestions } = await http.get('/api/search/suggest', {
        query: { q: prefix, limit },
        signal,
      });
      return suggestions;
    },
  };
}
