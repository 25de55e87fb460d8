import { createHash } from 'node:crypto';
import { DELIVERY_AREA, type LatLng } from './area';
import type { Place } from './types';

const EARTH_RADIUS_M = 6_371_000;
const rad = (deg: number) => (deg * Math.PI) / 180;

/** Great-circle distance in metres. */
export function haversineM(a: LatLng, b: LatLng): number {
  const dLat = rad(b.lat - a.lat);
  const dLng = rad(b.lng - a.lng);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Two numbers in [0, 1) derived from `text`: the same text always lands on the same point. */
function unitPair(text: string): [number, number] {
  const digest = createHash('sha256').update(text).digest();
  return [digest.readUInt32BE(0) / 2 ** 32, digest.readUInt32BE(4) / 2 ** 32];
}

/** A point `distanceM` from `center` in direction `bearing` (radians), on a flat local approximation. */
function offset(center: LatLng, distanceM: number, bearing: number): LatLng {
  const dLat = (distanceM * Math.cos(bearing)) / 111_320;
  const dLng = (distanceM * Math.sin(bearing)) / (111_320 * Math.cos(rad(center.lat)));
  return { lat: round(center.lat + dLat), lng: round(center.lng + dLng) };
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;

/**
 * Places an address in the delivery area without a geocoding service: a district named anywhere in the
 * text (English or Chinese, e.g. "Pudong", "静安") puts it near that district's centre, scattered by a
 * hash of the whole text; any other text lands on a hashed point inside the area. Deterministic, so a
 * delivery, its map and its tests always agree; addresses outside the demo city are placed inside it too.
 */
export function geocode(text: string): LatLng & { districtId: string | null } {
  const lower = text.toLowerCase();
  const district = DELIVERY_AREA.districts.find((d) => d.aliases.some((alias) => lower.includes(alias)));
  const [u, v] = unitPair(lower.replace(/\s+/g, ' ').trim());
  if (district) {
    // sqrt spreads points evenly over the disc instead of bunching them at the centre.
    return {
      ...offset(district.center, Math.sqrt(u) * district.radiusM, v * 2 * Math.PI),
      districtId: district.id,
    };
  }
  const b = DELIVERY_AREA.bounds;
  // Keep a margin so markers are never drawn on the edge of the map.
  const lat = b.south + (b.north - b.south) * (0.1 + 0.8 * u);
  const lng = b.west + (b.east - b.west) * (0.1 + 0.8 * v);
  return { lat: round(lat), lng: round(lng), districtId: null };
}

/** Whether a point lies inside the delivery area's bounds. */
export function inArea(p: LatLng): boolean {
  const b = DELIVERY_AREA.bounds;
  return p.lat >= b.south && p.lat <= b.north && p.lng >= b.west && p.lng <= b.east;
}

/** Travel time in ms for `distanceM` at `speedKmh`. */
export function travelMs(distanceM: number, speedKmh: number): number {
  return Math.round((distanceM / 1000 / speedKmh) * 3_600_000);
}

/** A place in the delivery area for `text`; `label` is what people read (the district, by default). */
export function placeFor(name: string, text: string, label?: string): Place {
  const point = geocode(text);
  const district = DELIVERY_AREA.districts.find((d) => d.id === point.districtId);
  const address = label ?? (district ? `${district.name}, ${DELIVERY_AREA.city}` : text);
  return { name, address, lat: point.lat, lng: point.lng };
}

/** Where a shop's parcels are collected: its name and city placed in the area (shops have no street address). */
export function shopPlace(shopName: string, city: string): Place {
  return placeFor(shopName, `${shopName} · ${city || DELIVERY_AREA.city}`);
}
