import type { RecsService } from '@market/recommender/service';
import type { SearchEngine } from '@market/search';
import { timed, type Metrics } from './metrics';

/** The search engine as the API uses it, with `search` and `suggest` timed into the metrics. */
export function instrumentSearch(engine: SearchEngine, metrics: Metrics): SearchEngine {
  const timedCalls: Partial<SearchEngine> = {
    search: (query) => timed(metrics.searchDuration, 'search', () => engine.search(query)),
    suggest: (prefix, limit) => timed(metrics.searchDuration, 'suggest', () => engine.suggest(prefix, limit)),
  };
  // A proxy rather than a copy: adapters are classes, and every other call must reach them unchanged.
  return new Proxy(engine, {
    get(target, prop, receiver) {
      if (prop in timedCalls) return timedCalls[prop as keyof SearchEngine];
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** The recommender as the API uses it, with each kind of recommendation timed into the metrics. */
export function instrumentRecs(recs: RecsService, metrics: Metrics): RecsService {
  const h = metrics.recsDuration;
  return {
    ...recs,
    hot: (q) => timed(h, 'hot', () => recs.hot(q)),
    feed: (actorId, limit) => timed(h, 'feed', () => recs.feed(actorId, limit)),
    similar: (itemId, limit) => timed(h, 'similar', () => recs.similar(itemId, limit)),
    boughtTogether: (itemId, limit) => timed(h, 'bought_together', () => recs.boughtTogether(itemId, limit)),
    profile: (actorId) => timed(h, 'profile', () => recs.profile(actorId)),
  };
}
