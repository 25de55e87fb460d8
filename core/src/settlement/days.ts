/** Business days in the market's time zone (MARKET_TIME_ZONE, Asia/Shanghai by default). */

const formatters = new Map<string, Intl.DateTimeFormat>();
function partsIn(timeZone: string, at: Date) {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(at).map((x) => [x.type, x.value]));
  return {
    year: Number(p.year),
    month: Number(p.month),
    day: Number(p.day),
    hour: Number(p.hour),
    minute: Number(p.minute),
    second: Number(p.second),
  };
}

/** `YYYY-MM-DD` of `at` in `timeZone`. */
export function marketDay(at: Date, timeZone: string): string {
  return localSlot(at, timeZone).day;
}

/** `{ day: '2026-12-07', hour: 13 }` of `at` in `timeZone` (one read of the local clock for both). */
export function localSlot(at: Date, timeZone: string): { day: string; hour: number } {
  const p = partsIn(timeZone, at);
  return {
    day: `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`,
    hour: p.hour,
  };
}

/** How far `timeZone` is ahead of UTC at `at`, in ms. */
function offsetAt(at: Date, timeZone: string): number {
  const p = partsIn(timeZone, at);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(at.getTime() / 1000) * 1000;
}

/** The instant local midnight starts `day` (`YYYY-MM-DD`) in `timeZone`. */
export function dayStart(day: string, timeZone: string): Date {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const guess = Date.UTC(y, m - 1, d);
  // Two passes settle the offset across a DST change (none in Asia/Shanghai, but the zone is configurable).
  let at = guess - offsetAt(new Date(guess), timeZone);
  at = guess - offsetAt(new Date(at), timeZone);
  return new Date(at);
}

/** `[start, end)` of `day` in `timeZone`. */
export function dayRange(day: string, timeZone: string): { from: Date; to: Date } {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const next = new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
  return { from: dayStart(day, timeZone), to: dayStart(next, timeZone) };
}

/** `[start, end)` of `month` (`YYYY-MM`) in `timeZone`. */
export function monthRange(month: string, timeZone: string): { from: Date; to: Date } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const next = new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 7);
  return { from: dayStart(`${month}-01`, timeZone), to: dayStart(`${next}-01`, timeZone) };
}

/** The day before `day`. */
export function previousDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d - 1)).toISOString().slice(0, 10);
}

/** ISO week of `at` in `timeZone`, e.g. `2026W49` (scheduled payout ids). */
export function isoWeek(at: Date, timeZone: string): string {
  const p = partsIn(timeZone, at);
  const date = new Date(Date.UTC(p.year, p.month - 1, p.day));
  const weekday = date.getUTCDay() || 7;
  date.setUTCDate(date.getUTCDate() + 4 - weekday);
  const yearStart = Date.UTC(date.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((date.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${date.getUTCFullYear()}W${String(week).padStart(2, '0')}`;
}

/** ISO weekday (1 = Monday) and hour of `at` in `timeZone`. */
export function weekdayAndHour(at: Date, timeZone: string): { weekday: number; hour: number } {
  const p = partsIn(timeZone, at);
  return { weekday: new Date(Date.UTC(p.year, p.month - 1, p.day)).getUTCDay() || 7, hour: p.hour };
}
