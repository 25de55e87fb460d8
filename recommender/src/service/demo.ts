import type { Logger } from '@market/core';
import { createRandom } from '@market/demo/random';
import type { Connection } from 'mongoose';
import { dayOf } from './buckets';
import { createEventStore } from './store';
import type { EventPage, StoredEvent, StoredEventType } from './types';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const PAGE_EVENTS = 1_000;
export const DEMO_EVENTS_NODE = 'demo-seed';

/**
 * A week of simulated shopping on the demo catalog, so a fresh demo has hot lists, trends, neighbours and
 * a profile for the demo shopper from the first page. Visitors have two favourite categories and browse
 * sessions of 3–12 products (most in a favourite), clicking, carting and buying a share of what they
 * view; activity grows towards now, and a few products get a burst in the last hour (trending). The demo
 * shopper (an account) browses two categories without buying, so "for you" has something to go on.
 * Written as event pages of a node of its own; the caller asks for a rebuild to load them.
 */
export async function seedDemoInteractions(deps: {
  connection: Connection;
  log: Logger;
  products: readonly { id: string; categoryId: string }[];
  shopperId?: string;
  events?: number;
  now?: number;
  seed?: number;
}): Promise<number> {
  const { products } = deps;
  if (products.length === 0) return 0;
  // Seeded, so the same catalog always gets the same history.
  const { next: rnd, pick } = createRandom(deps.seed ?? 7);
  const now = deps.now ?? Date.now();
  const total = deps.events ?? Math.min(40_000, products.length * 6);

  const byCategory = new Map<string, string[]>();
  for (const p of products) byCategory.set(p.categoryId, [...(byCategory.get(p.categoryId) ?? []), p.id]);
  const categories = [...byCategory.keys()];
  // Skewed appeal inside a category: its first products are viewed far more than its last.
  const inCategory = (category: string) => {
    const items = byCategory.get(category)!;
    return items[Math.floor(rnd() ** 2.2 * items.length)]!;
  };

  const events: StoredEvent[] = [];
  const push = (a: string, t: StoredEventType, i: string, at: number) => events.push({ a, t, i, at });
  const visitors = Math.max(50, Math.round(total / 40));
  while (events.length < total) {
    const visitor = Math.floor(rnd() ** 1.5 * visitors);
    const actor = `anon_demo${visitor}`;
    const favourites = [
      categories[(visitor * 7) % categories.length]!,
      categories[(visitor * 13 + 5) % categories.length]!,
    ];
    // More recent days are busier: a session starts `age` before now, age skewed towards zero.
    let at = now - rnd() ** 2 * 7 * DAY;
    for (let n = 3 + Math.floor(rnd() * 10); n > 0 && events.length < total; n--) {
      const item = inCategory(rnd() < 0.8 ? pick(favourites) : pick(categories));
      push(actor, 'view', item, at);
      if (rnd() < 0.2) push(actor, 'click', item, at + 1_000);
      if (rnd() < 0.08) push(actor, 'add_to_cart', item, at + 2_000);
      if (rnd() < 0.03) push(actor, 'purchase', item, at + 3_000);
      at = Math.min(now - 1_000, at + (20 + rnd() * 220) * 1_000);
    }
  }
  // Trending: a handful of products many visitors looked at in the last hour.
  for (let k = 0; k < 6; k++) {
    const item = pick(products).id;
    for (let v = 0; v < 25; v++) push(`anon_burst${k}_${v}`, 'view', item, now - rnd() * HOUR);
  }
  if (deps.shopperId) {
    const [first, second] = [pick(categories), pick(categories)];
    for (let k = 0; k < 16; k++) {
      const item = inCategory(k % 3 === 2 ? second : first);
      push(deps.shopperId, 'view', item, now - (16 - k) * 20 * 60_000);
      if (k % 5 === 0) push(deps.shopperId, 'add_to_cart', item, now - (16 - k) * 20 * 60_000 + 30_000);
    }
  }
  events.sort((x, y) => x.at - y.at);

  const store = createEventStore({ connection: deps.connection, log: deps.log });
  let seq = 0;
  let page: StoredEvent[] = [];
  const flush = async () => {
    if (!page.length) return;
    seq++;
    const doc: EventPage = {
      _id: `${DEMO_EVENTS_NODE}:${seq}`,
      node: DEMO_EVENTS_NODE,
      seq,
      at: new Date(page.at(-1)!.at),
      events: page,
    };
    await store.writePage(doc);
    page = [];
  };
  for (const event of events) {
    // A page lives in the bucket of its day, so it never spans two days.
    if (page.length && (page.length >= PAGE_EVENTS || dayOf(page[0]!.at) !== dayOf(event.at))) await flush();
    page.push(event);
  }
  await flush();
  return events.length;
}
