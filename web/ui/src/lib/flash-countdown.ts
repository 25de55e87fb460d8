/**
 * The server's clock as the browser can follow it. Countdowns to a flash sale must agree with the server
 * that admits the claims, so the page never reads `Date.now()` for them: it keeps the server's time from
 * the last answer (`serverNow`) and how much monotonic time (`performance.now()`, which a user changing
 * the system clock does not move) has passed since. Half the request's round trip is added, as the server
 * read its clock somewhere in the middle of it.
 */
export class ServerClock {
  #serverMs: number | null = null;
  #localMs = 0;

  constructor(private readonly monotonic: () => number = () => performance.now()) {}

  /** `sentAt` and `receivedAt` are `performance.now()` readings around the request that answered `serverNow`. */
  sync(serverNow: string, sentAt: number, receivedAt: number): void {
    this.#serverMs = Date.parse(serverNow) + (receivedAt - sentAt) / 2;
    this.#localMs = receivedAt;
  }

  get synced(): boolean {
    return this.#serverMs !== null;
  }

  /** The server's time now, in epoch milliseconds (NaN before the first answer). */
  now(): number {
    return this.#serverMs === null ? Number.NaN : this.#serverMs + (this.monotonic() - this.#localMs);
  }
}

/** Whole seconds left until `targetMs`, rounded up, so "00:00:00" shows exactly when the moment is reached. */
export function secondsUntil(targetMs: number, nowMs: number): number {
  return Math.max(0, Math.ceil((targetMs - nowMs) / 1000));
}

/** `3725` → `{ days: 0, clock: "01:02:05" }`. */
export function splitCountdown(totalSeconds: number): { days: number; clock: string } {
  const days = Math.floor(totalSeconds / 86_400);
  const rest = totalSeconds % 86_400;
  const two = (n: number) => String(n).padStart(2, '0');
  return {
    days,
    clock: `${two(Math.floor(rest / 3600))}:${two(Math.floor((rest % 3600) / 60))}:${two(rest % 60)}`,
  };
}
