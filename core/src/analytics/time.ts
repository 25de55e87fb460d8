/**
 * Local calendar days and hours for the rollups. A shop's figures are bucketed in its time zone
 * (Asia/Shanghai by default, which has no daylight saving), so "today" means the seller's today.
 */
export const DAY_MS = 86_400_000;

/** `{ day, hour }` of an instant in a time zone: the settlement's calendar, one for the whole market. */
export { localSlot } from '../settlement/days';

/** Calendar arithmetic on `YYYY-MM-DD` days (time zone free: a day is a date, not an instant). */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (0 when equal). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** Every day from `from` to `to`, both included. */
export function daysOf(from: string, to: string): string[] {
  const days: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) days.push(d);
  return days;
}

/** The same calendar day a year earlier (29 February becomes 28 February). */
export function yearBefore(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y - 1, m - 1, d));
  if (target.getUTCMonth() !== m - 1) target.setUTCDate(0);
  return target.toISOString().slice(0, 10);
}

export function isDay(s: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && addDays(s, 0) === s;
}
