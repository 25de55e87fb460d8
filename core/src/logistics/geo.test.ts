import { describe, expect, it } from 'vitest';
import { DELIVERY_AREA } from './area';
import { estimateArrival } from './eta';
import { geocode, haversineM, inArea, shopPlace } from './geo';
import { validatePosition } from './positions';
import { decideMove, deliveryActions } from './state';

describe('geocoding into the delivery area', () => {
  it('places an address near the district it names, the same way every time', () => {
    const a = geocode('88 Century Ave, Pudong, Shanghai');
    expect(a).toEqual(geocode('88 Century Ave, Pudong, Shanghai'));
    expect(a.districtId).toBe('lujiazui');
    const lujiazui = DELIVERY_AREA.districts.find((d) => d.id === 'lujiazui')!;
    expect(haversineM(a, lujiazui.center)).toBeLessThanOrEqual(lujiazui.radiusM + 1);
    expect(geocode('静安区 南京西路 1699号').districtId).toBe('jingan');
    expect(geocode('12 Xuhui Rd').districtId).toBe('xuhui');
  });

  it('puts anything else (other cities too) on a hashed point inside the area', () => {
    for (const text of ['1 Jianguomenwai Ave, Beijing', 'somewhere', 'Shop 7 · Hangzhou']) {
      const p = geocode(text);
      expect(p.districtId).toBeNull();
      expect(inArea(p)).toBe(true);
    }
    expect(geocode('a')).not.toEqual(geocode('b'));
    expect(inArea(shopPlace('Any shop', ''))).toBe(true);
  });

  it('measures great-circle distance', () => {
    // The Bund to Lujiazui: about 1.5 km across the river.
    const d = haversineM({ lat: 31.2401, lng: 121.4905 }, { lat: 31.2397, lng: 121.4998 });
    expect(d).toBeGreaterThan(800);
    expect(d).toBeLessThan(1000);
  });
});

describe('ETA', () => {
  const pickup = { lat: 31.23, lng: 121.48 };
  const dropoff = { lat: 31.23, lng: 121.53 }; // ~4.75 km east
  const now = new Date('2026-01-01T00:00:00Z');
  const minutes = (d: Date) => (d.getTime() - now.getTime()) / 60_000;

  it('counts the trip to the shop before pickup and uses the average speed when stopped', () => {
    const base = { pickup, dropoff, averageSpeedKmh: 25, now };
    const atShop = estimateArrival({ ...base, status: 'accepted', position: pickup, speedKmh: 0 });
    expect(minutes(atShop)).toBeCloseTo((haversineM(pickup, dropoff) / 25_000) * 60, 3);
    const away = estimateArrival({
      ...base,
      status: 'accepted',
      position: { lat: 31.24, lng: 121.48 },
      speedKmh: null,
    });
    expect(away.getTime()).toBeGreaterThan(atShop.getTime());
    const moving = estimateArrival({ ...base, status: 'in_transit', position: pickup, speedKmh: 50 });
    expect(minutes(moving)).toBeCloseTo(minutes(atShop) / 2, 3);
  });
});

describe('the delivery state machine', () => {
  it('lets each role make only its own moves', () => {
    expect(decideMove('assigned', 'accepted', 'courier')).toEqual({ ok: true, to: 'accepted' });
    expect(decideMove('assigned', 'accepted', 'support')).toMatchObject({ ok: false, forbidden: true });
    expect(decideMove('accepted', 'delivered', 'courier')).toMatchObject({ ok: false, forbidden: false });
    expect(decideMove('ready_for_pickup', 'delivered', 'seller')).toEqual({ ok: true, to: 'delivered' });
    expect(decideMove('in_transit', 'late', 'system')).toEqual({ ok: true, to: 'in_transit' });
    expect(decideMove('delivered', 'cancelled', 'system')).toMatchObject({ ok: false });
    expect(deliveryActions('in_transit', 'courier').sort()).toEqual([
      'delivered',
      'failed_attempt',
      'returned',
    ]);
  });
});

describe('position validation', () => {
  const now = new Date('2026-01-01T00:00:00Z');
  it('names every bad field and keeps our clock for far-off device times', () => {
    expect(() => validatePosition({ lat: 100, lng: Infinity, speedKmh: -1 }, now)).toThrow(
      expect.objectContaining({
        details: {
          fields: [
            { field: 'position.lat', message: 'a number from -90 to 90' },
            { field: 'position.lng', message: 'a number from -180 to 180' },
            { field: 'position.speedKmh', message: 'a number from 0 to 400' },
          ],
        },
      }),
    );
    expect(validatePosition({ lat: 31, lng: 121, at: '2020-01-01T00:00:00Z' }, now).at).toEqual(now);
    const close = new Date(now.getTime() - 5_000);
    expect(validatePosition({ lat: 31, lng: 121, at: close.toISOString() }, now).at).toEqual(close);
  });
});
