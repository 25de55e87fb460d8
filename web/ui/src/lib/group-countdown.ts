import { secondsUntil, splitCountdown } from './flash-countdown';

/** A group's time left as the page shows it: "1d 02:03:04", or "02:03:04" under a day. */
export function groupTimeLeft(deadlineMs: number, nowMs: number): string {
  if (Number.isNaN(nowMs)) return '';
  const { days, clock } = splitCountdown(secondsUntil(deadlineMs, nowMs));
  return days > 0 ? `${days}d ${clock}` : clock;
}
