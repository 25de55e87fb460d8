import { DELIVERY_AREA, type LatLng } from '@market/core/browser';

export { DELIVERY_AREA, type LatLng };

const b = DELIVERY_AREA.bounds;
const midLat = ((b.south + b.north) / 2) * (Math.PI / 180);

/** The map's drawing units: the area is `MAP_WIDTH` wide and as tall as its true proportions need. */
export const MAP_WIDTH = 1000;
const perLng = MAP_WIDTH / (b.east - b.west);
const perLat = perLng / Math.cos(midLat);
export const MAP_HEIGHT = (b.north - b.south) * perLat;

export interface Point {
  x: number;
  y: number;
}

/**
 * An equirectangular projection of the delivery area, scaled by the cosine of its middle latitude so a
 * kilometre is as long east–west as north–south (good enough for a city a few tens of km across).
 */
export function project(p: LatLng): Point {
  return { x: (p.lng - b.west) * perLng, y: (b.north - p.lat) * perLat };
}

export function metresToUnits(metres: number): number {
  return (metres / 111_320) * perLat;
}

export function pathOf(points: readonly (readonly [number, number])[] | LatLng[]): string {
  return points
    .map((p, i) => {
      const { x, y } = Array.isArray(p) ? project({ lat: p[0], lng: p[1] }) : project(p as LatLng);
      return `${i ? 'L' : 'M'}${x.toFixed(1)},${y.toFixed(1)}`;
    })
    .join(' ');
}

/** A view box around `points` with a margin, at least `minMetres` across, kept inside the map. */
export function viewAround(
  points: LatLng[],
  minMetres = 2500,
): { x: number; y: number; w: number; h: number } {
  if (!points.length) return { x: 0, y: 0, w: MAP_WIDTH, h: MAP_HEIGHT };
  const xy = points.map(project);
  const min = metresToUnits(minMetres);
  let x0 = Math.min(...xy.map((p) => p.x));
  let x1 = Math.max(...xy.map((p) => p.x));
  let y0 = Math.min(...xy.map((p) => p.y));
  let y1 = Math.max(...xy.map((p) => p.y));
  const pad = Math.max(x1 - x0, y1 - y0) * 0.25 + metresToUnits(400);
  x0 -= pad;
  x1 += pad;
  y0 -= pad;
  y1 += pad;
  // Keep the map's aspect ratio so the SVG fills its box without letterboxing.
  let w = Math.max(x1 - x0, min);
  let h = Math.max(y1 - y0, (min * MAP_HEIGHT) / MAP_WIDTH);
  if (w / h > MAP_WIDTH / MAP_HEIGHT) h = (w * MAP_HEIGHT) / MAP_WIDTH;
  else w = (h * MAP_WIDTH) / MAP_HEIGHT;
  w = Math.min(w, MAP_WIDTH);
  h = Math.min(h, MAP_HEIGHT);
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  return {
    x: Math.min(Math.max(cx - w / 2, 0), MAP_WIDTH - w),
    y: Math.min(Math.max(cy - h / 2, 0), MAP_HEIGHT - h),
    w,
    h,
  };
}
