import { ApiError } from './api/api-error';
import type { PositionFix } from './logistics-api';
import { RouteSimulator } from './logistics-simulator';
import type { LatLng } from './api/wire';

/** One second between fixes: the realtime contract's COURIER_POSITION_INTERVAL_MS. */
export const FIX_EVERY_MS = 1_000;

export type SendFix = (fix: PositionFix) => Promise<'ok' | 'refused'>;

/**
 * The courier's position stream: the device's GPS (`watchPosition`, thinned to one fix a second) or a
 * simulator that drives along the current route at a set speed, one fix a second. Each fix goes to the
 * server through `send` (the `/courier` socket, or HTTP while it is down); a fix refused for coming too
 * fast is simply dropped, the next one follows a second later.
 */
export class PositionStream {
  mode = $state<'off' | 'gps' | 'sim'>('off');
  last = $state<(LatLng & { heading: number | null; speedKmh: number | null }) | null>(null);
  sent = $state(0);
  refused = $state(0);
  error = $state<string | null>(null);
  speedKmh = $state(40);
  arrived = $state(false);

  #watchId: number | null = null;
  #timer: ReturnType<typeof setInterval> | null = null;
  #lastSentAt = 0;
  #sim: RouteSimulator | null = null;

  constructor(private readonly send: SendFix) {}

  /** Where the courier is believed to be before any fix of this session (their last known position). */
  seed(at: LatLng | null): void {
    if (at && !this.last) this.last = { ...at, heading: null, speedKmh: null };
  }

  async #deliver(fix: PositionFix): Promise<void> {
    this.last = { lat: fix.lat, lng: fix.lng, heading: fix.heading ?? null, speedKmh: fix.speedKmh ?? null };
    try {
      const result = await this.send(fix);
      if (result === 'ok') this.sent += 1;
      else this.refused += 1;
      this.error = null;
    } catch (e) {
      if (e instanceof ApiError && e.status === 429) this.refused += 1;
      else this.error = e instanceof Error ? e.message : String(e);
    }
  }

  startGps(onDenied: () => void): void {
    this.stop();
    if (!('geolocation' in navigator)) {
      onDenied();
      return;
    }
    this.mode = 'gps';
    this.#watchId = navigator.geolocation.watchPosition(
      (p) => {
        const now = Date.now();
        if (now - this.#lastSentAt < FIX_EVERY_MS) return;
        this.#lastSentAt = now;
        void this.#deliver({
          lat: p.coords.latitude,
          lng: p.coords.longitude,
          accuracy: p.coords.accuracy,
          heading: Number.isFinite(p.coords.heading) ? p.coords.heading : null,
          speedKmh: Number.isFinite(p.coords.speed) && p.coords.speed !== null ? p.coords.speed * 3.6 : null,
          // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a throwaway value, not state
          at: new Date(p.timestamp).toISOString(),
        });
      },
      () => {
        this.stop();
        onDenied();
      },
      { enableHighAccuracy: true, maximumAge: 2_000, timeout: 20_000 },
    );
  }

  /** Drives from the current position through `waypoints`; called again whenever the route changes. */
  setRoute(waypoints: LatLng[]): void {
    const from = this.last ?? waypoints[0];
    if (!from) return;
    this.#sim = new RouteSimulator([from, ...waypoints], this.speedKmh);
    this.arrived = this.#sim.remainingM <= 0;
  }

  startSimulator(waypoints: LatLng[]): void {
    this.stop();
    this.mode = 'sim';
    this.setRoute(waypoints);
    this.#timer = setInterval(() => {
      const sim = this.#sim;
      if (!sim) return;
      sim.speedKmh = this.speedKmh;
      const fix = sim.advance(FIX_EVERY_MS);
      this.arrived = fix.arrived;
      void this.#deliver({
        lat: Number(fix.lat.toFixed(6)),
        lng: Number(fix.lng.toFixed(6)),
        heading: Math.round(fix.heading),
        speedKmh: fix.speedKmh,
        accuracy: 5,
        // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a throwaway value, not state
        at: new Date().toISOString(),
      });
    }, FIX_EVERY_MS);
  }

  stop(): void {
    if (this.#watchId !== null) navigator.geolocation.clearWatch(this.#watchId);
    if (this.#timer) clearInterval(this.#timer);
    this.#watchId = null;
    this.#timer = null;
    this.mode = 'off';
  }
}
