import type { estypes } from '@elastic/elasticsearch';
import type { FacetValue, SearchDocument, SearchFacets, SearchHit } from '../types';
import { FACETS, type FacetName } from './query';

/** The parts of a bucket this adapter reads; terms, range and boolean-terms buckets all have them. */
interface Bucket {
  key: string | number;
  key_as_string?: string;
  doc_count: number;
  label?: { buckets?: Bucket[] };
}

const HIGHLIGHTED = ['name', 'nameZh', 'brand', 'description'] as const;

function bucketsOf(
  aggregations: Record<string, estypes.AggregationsAggregate> | undefined,
  facet: FacetName,
) {
  const filtered = aggregations?.[facet] as
    { values?: { buckets?: Bucket[] | Record<string, Bucket> } } | undefined;
  const buckets = filtered?.values?.buckets ?? [];
  return Array.isArray(buckets) ? buckets : Object.values(buckets);
}

function toFacetValue(bucket: Bucket): FacetValue {
  // A boolean `terms` bucket has key 1/0 and key_as_string "true"/"false".
  const value = bucket.key_as_string ?? String(bucket.key);
  const label = bucket.label?.buckets?.[0]?.key;
  return label !== undefined
    ? { value, count: bucket.doc_count, label: String(label) }
    : { value, count: bucket.doc_count };
}

/** Facet values with at least one document, in the engine's order (count, then key; ranges in bucket order). */
export function parseFacets(
  aggregations: Record<string, estypes.AggregationsAggregate> | undefined,
): SearchFacets {
  const facets = {} as SearchFacets;
  for (const facet of FACETS) {
    facets[facet] = bucketsOf(aggregations, facet)
      .filter((b) => b.doc_count > 0)
      .map(toFacetValue);
  }
  return facets;
}

export function parseHits(hits: estypes.SearchHit<SearchDocument>[]): SearchHit[] {
  return hits
    .filter((hit): hit is estypes.SearchHit<SearchDocument> & { _source: SearchDocument } => !!hit._source)
    .map((hit) => {
      const highlights: SearchHit['highlights'] = {};
      for (const field of HIGHLIGHTED) {
        const fragments = hit.highlight?.[field];
        if (fragments?.length) highlights[field] = fragments.join(' … ');
      }
      return { id: hit._id ?? hit._source.id, score: hit._score ?? 0, document: hit._source, highlights };
    });
}

export function totalOf(total: estypes.SearchTotalHits | number | undefined): number {
  if (total === undefined) return 0;
  return typeof total === 'number' ? total : total.value;
}

/** The corrected text of the phrase suggester, when it differs from what was typed. */
export function parseDidYouMean(
  suggest: Record<string, estypes.SearchSuggest<SearchDocument>[]> | undefined,
  q: string,
  suggester: 'did_you_mean' | 'corrected' = 'did_you_mean',
): string | null {
  const option = suggest?.[suggester]?.[0]?.options;
  const first = Array.isArray(option) ? option[0] : option;
  const text = first && 'text' in first ? first.text : undefined;
  return text && text.trim().toLowerCase() !== q.trim().toLowerCase() ? text : null;
}
