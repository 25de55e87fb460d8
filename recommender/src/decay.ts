/**
 * Exponential time decay by forward decay (Cormode, Shkapenyuk, Srivastava, Xu: "Forward Decay", ICDE
 * 2009). An event of weight w at time t is stored as w·e^{λ(t−L)} against a landmark L, and a sum is read
 * at `now` as stored·e^{−λ(now−L)}, with λ = ln 2 / half-life. Adding is a plain sum, so arrival order does
 * not matter (late events are exact), nothing is touched when time passes, and every value of one counter
 * shares the read factor — ranking by stored values is ranking at any `now`.
 */

/** Stored values are rescaled (the landmark moves) before e^{λ(t−L)} gets anywhere near overflow (e^709). */
const MAX_EXPONENT = 64;

export function decayRate(halfLifeMs: number): number {
  return Math.LN2 / halfLifeMs;
}

/** Decayed sums per dense index (item index), in one growable Float64Array. */
export class DecayedCounters {
  readonly lambda: number;
  private stored: Float64Array;
  private landmark = Number.NaN;

  constructor(halfLifeMs: number, capacity = 1024) {
    this.lambda = decayRate(halfLifeMs);
    this.stored = new Float64Array(capacity);
  }

  add(index: number, weight: number, at: number): void {
    if (Number.isNaN(this.landmark)) this.landmark = at;
    let exponent = this.lambda * (at - this.landmark);
    if (exponent > MAX_EXPONENT) {
      this.moveLandmark(at);
      exponent = 0;
    }
    if (index >= this.stored.length) this.grow(index + 1);
    this.stored[index]! += weight * Math.exp(exponent);
  }

  /** The decayed sum at `now`. */
  value(index: number, now: number): number {
    const stored = this.stored[index] ?? 0;
    return stored === 0 ? 0 : stored * this.readFactor(now);
  }

  /** Multiply a stored value by this to read it at `now`. */
  readFactor(now: number): number {
    if (Number.isNaN(this.landmark)) return 0;
    return Math.exp(Math.min(700, -this.lambda * (now - this.landmark)));
  }

  /** The stored (landmark-relative) value: comparable across indexes of this counter only. */
  storedValue(index: number): number {
    return this.stored[index] ?? 0;
  }

  clear(index: number): void {
    if (index < this.stored.length) this.stored[index] = 0;
  }

  private moveLandmark(to: number): void {
    const scale = Math.exp(-this.lambda * (to - this.landmark));
    const stored = this.stored;
    for (let i = 0; i < stored.length; i++) stored[i]! *= scale;
    this.landmark = to;
  }

  private grow(minimum: number): void {
    let capacity = this.stored.length * 2;
    while (capacity < minimum) capacity *= 2;
    const next = new Float64Array(capacity);
    next.set(this.stored);
    this.stored = next;
  }
}

/**
 * A decay factor for one event read at `now`, for values computed on demand (profiles). Events stamped
 * after `now` (clock skew between app nodes) count as happening now.
 */
export function decayFactor(lambda: number, at: number, now: number): number {
  return Math.exp(-lambda * Math.max(0, now - at));
}
