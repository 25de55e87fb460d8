/**
 * Interaction events live in one collection per UTC day, so retention drops whole collections (a cheap
 * metadata operation on both engines) instead of deleting by a time filter, which FerretDB 1.24 answers by
 * decoding every document of the collection.
 */
export const DAY_MS = 86_400_000;

/** Pages of events, by the UTC day they were written: `interactions_2026_11_25`. */
export const EVENTS_PREFIX = 'interactions_';
/** Dedupe keys, by the UTC day of their event; kept two days (the longest dedupe horizon). */
export const KEYS_PREFIX = 'interaction_keys_';
/** One document per app process: its stream position, heartbeat and load progress. */
export const NODES_COLLECTION = 'interaction_nodes';
/** The rebuild generation every process follows. */
export const CONTROL_COLLECTION = 'interaction_control';

/** `2026_11_25` for any time on that UTC day. */
export function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10).replaceAll('-', '_');
}

/** Midnight UTC of a `2026_11_25` day, in epoch ms. */
export function dayStart(day: string): number {
  return Date.parse(`${day.replaceAll('_', '-')}T00:00:00Z`);
}

/** Every day from `from` to `to`, both included, oldest first (empty when `to` is before `from`). */
export function daysFrom(from: string, to: string): string[] {
  const days: string[] = [];
  for (let t = dayStart(from); t <= dayStart(to); t += DAY_MS) days.push(dayOf(t));
  return days;
}

/** The day of a bucket collection's name, or null for any other collection. */
export function bucketDay(collection: string, prefix: string): string | null {
  if (!collection.startsWith(prefix)) return null;
  const day = collection.slice(prefix.length);
  return /^\d{4}_\d{2}_\d{2}$/.test(day) ? day : null;
}
