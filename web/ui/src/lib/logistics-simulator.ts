import type { LatLng } from './api/wire';

const EARTH_RADIUS_M = 6_371_000;
const rad = (deg: number) => (deg * Math.PI) / 180;

export function distanceM(a: LatLng, b: LatLng): number {
  const dLat = rad(b.lat - a.lat);
  const dLng = rad(b.lng - a.lng);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Compass bearing from `a` to `b`, degrees clockwise from north (what geolocation calls heading). */
export function bearing(a: LatLng, b: LatLng): number {
  const y = Math.sin(rad(b.lng - a.lng)) * Math.cos(rad(b.lat));
  const x =
    Math.cos(rad(a.lat)) * Math.sin(rad(b.lat)) -
    Math.sin(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.cos(rad(b.lng - a.lng));
  return ((Math.atan2(y, x) * 180) / Math.PI + 360) % 360;
}

export interface SimulatedFix extends LatLng {
  heading: number;
  speedKmh: number;
  /** Whether the end of the route is reached. */
  arrived: boolean;
}

/**
 * A courier driving along a route at a steady speed, for demos and tests: `advance(ms)` moves it on by
 * that much driving time and returns the fix, interpolated along the route's legs.
 */
export class RouteSimulator {
  readonly #points: LatLng[];
  readonly #legs: number[];
  readonly length: number;
  #travelled = 0;

  constructor(
    points: LatLng[],
    public speedKmh: number,
  ) {
    this.#points = points.length ? points : [{ lat: 0, lng: 0 }];
    this.#legs = this.#points.slice(1).map((p, i) => distanceM(this.#points[i]!, p));
    this.length = this.#legs.reduce((a, b) => a + b, 0);
  }

  get remainingM(): number {
    return Math.max(0, this.length - this.#travelled);
  }

  advance(ms: number): SimulatedFix {
    this.#travelled = Math.min(this.length, this.#travelled + (this.speedKmh / 3.6) * (ms / 1000));
    return this.current();
  }

  current(): SimulatedFix {
    let left = this.#travelled;
    for (let i = 0; i < this.#legs.length; i++) {
      const leg = this.#legs[i]!;
      const from = this.#points[i]!;
      const to = this.#points[i + 1]!;
      if (left <= leg || i === this.#legs.length - 1) {
        const f = leg === 0 ? 1 : Math.min(1, left / leg);
        return {
          lat: from.lat + (to.lat - from.lat) * f,
          lng: from.lng + (to.lng - from.lng) * f,
          heading: bearing(from, to),
          speedKmh: this.remainingM > 0 ? this.speedKmh : 0,
          arrived: this.remainingM <= 0,
        };
      }
      left -= leg;
    }
    const only = this.#points[0]!;
    return { ...only, heading: 0, speedKmh: 0, arrived: true };
  }
}
