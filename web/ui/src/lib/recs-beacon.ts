import type { Session } from './session.svelte';

/** An interaction as `POST /api/events` takes it. Cart adds and purchases are recorded by the API itself. */
export interface BeaconEvent {
  id: string;
  type: 'view' | 'click' | 'search';
  productId?: string;
  q?: string;
  at: number;
}

const FLUSH_EVERY_MS = 5000;
const MAX_BATCH = 50;
const MAX_QUEUED = 200;

function eventId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The storefront's interaction beacon: events queue in memory and go out in batches — every few seconds
 * with `fetch(keepalive)`, and with `navigator.sendBeacon` when the page is hidden or unloaded. Every event
 * has an id, so a batch sent twice (a retry after a network error) is stored once. Page views go out at
 * once, so the home page's "for you" knows about the product just seen.
 */
export class RecsBeacon {
  #queue: BeaconEvent[] = [];
  #timer: ReturnType<typeof setInterval> | null = null;

  constructor(private readonly session: Pick<Session, 'csrfToken'>) {}

  track(event: Omit<BeaconEvent, 'id' | 'at'>, opts: { now?: boolean } = {}): void {
    this.#queue.push({ ...event, id: eventId(), at: Date.now() });
    if (this.#queue.length > MAX_QUEUED) this.#queue.splice(0, this.#queue.length - MAX_QUEUED);
    if (opts.now || this.#queue.length >= MAX_BATCH) void this.flush();
  }

  /** Sends what is queued; `beacon` when the page is going away (no response is awaited). */
  async flush(mode: 'fetch' | 'beacon' = 'fetch'): Promise<void> {
    while (this.#queue.length) {
      const batch = this.#queue.splice(0, MAX_BATCH);
      const token = this.session.csrfToken();
      // sendBeacon cannot set headers: the CSRF token rides in the query string (see web/src/recs/actor.ts).
      const url = token ? `/api/events?csrf=${encodeURIComponent(token)}` : '/api/events';
      const body = JSON.stringify({ events: batch });
      if (mode === 'beacon' && navigator.sendBeacon?.(url, new Blob([body], { type: 'application/json' }))) {
        continue;
      }
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
          credentials: 'same-origin',
          keepalive: true,
        });
        // Client errors will not get better by retrying; server errors and throttling may, later.
        if (response.status >= 500 || response.status === 429) return this.#requeue(batch);
      } catch {
        return this.#requeue(batch);
      }
    }
  }

  /** Starts the periodic flush, the flush on leaving, and the click tracking of product links. */
  start(): () => void {
    this.#timer = setInterval(() => void this.flush(), FLUSH_EVERY_MS);
    const onHide = () => {
      if (document.visibilityState === 'hidden') void this.flush('beacon');
    };
    const onPageHide = () => void this.flush('beacon');
    const onClick = (event: MouseEvent) => this.#trackClick(event);
    document.addEventListener('visibilitychange', onHide);
    window.addEventListener('pagehide', onPageHide);
    document.addEventListener('click', onClick, { capture: true });
    return () => {
      if (this.#timer) clearInterval(this.#timer);
      document.removeEventListener('visibilitychange', onHide);
      window.removeEventListener('pagehide', onPageHide);
      document.removeEventListener('click', onClick, { capture: true });
    };
  }

  /** A click on a product in search results (with the query) or in a recommendation strip. */
  #trackClick(event: MouseEvent): void {
    const target = event.target instanceof Element ? event.target : null;
    const link = target?.closest('a[href^="/p/"]');
    const card = link?.closest<HTMLElement>('[data-product-id]');
    const productId = card?.dataset.productId;
    if (!productId) return;
    if (location.pathname === '/search') {
      const q = new URLSearchParams(location.search).get('q')?.trim();
      this.track({ type: 'click', productId, ...(q && { q: q.slice(0, 200) }) });
    } else if (card?.closest('[data-recs-strip]')) {
      this.track({ type: 'click', productId });
    }
  }

  #requeue(batch: BeaconEvent[]): void {
    this.#queue.unshift(...batch);
    if (this.#queue.length > MAX_QUEUED) this.#queue.length = MAX_QUEUED;
  }
}

let beacon: RecsBeacon | null = null;

/** The app's one beacon, started on first use. */
export function recsBeacon(session: Pick<Session, 'csrfToken'>): RecsBeacon {
  if (!beacon) {
    beacon = new RecsBeacon(session);
    beacon.start();
  }
  return beacon;
}
