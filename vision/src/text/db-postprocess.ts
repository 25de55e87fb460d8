/**
 * Post-processing of a DB (Differentiable Binarization) text detector's probability map, after PaddleOCR's
 * DBPostProcess: binarise at `threshold`, label 8-connected regions (the shrunk text kernels), fit each a
 * rotated rectangle, drop weak and tiny ones, then grow the rectangle by the DB unclip distance
 * `area × unclipRatio / perimeter` (the network is trained on kernels shrunk by that much).
 *
 * The rectangle is fitted along the region's principal axis (from its second moments) and spans the
 * region's extent along and across it: PaddleOCR's minAreaRect for the straight lines that product photos
 * carry, including slanted watermarks. Near-horizontal and near-vertical fits snap to the axes, and so do
 * squarish regions (a lone character), whose axis means nothing.
 *
 * A region is scored by the mean probability of its own pixels (PaddleOCR's "slow", polygon score mode).
 */
export interface ProbabilityMap {
  /** Row-major probabilities, width × height. */
  data: Float32Array;
  width: number;
  height: number;
}

export interface DbOptions {
  /** Pixel probability above which a pixel is text. */
  threshold: number;
  /** Minimum mean probability over a region's pixels. */
  boxThreshold: number;
  unclipRatio: number;
  /** Regions whose shorter side is under this many map pixels are noise. */
  minSize: number;
  /** At most this many regions (the largest) are considered. */
  maxCandidates: number;
}

export const DEFAULT_DB_OPTIONS: DbOptions = {
  threshold: 0.3,
  boxThreshold: 0.6,
  unclipRatio: 1.5,
  minSize: 3,
  maxCandidates: 1000,
};

/** A text line as a rotated rectangle in probability-map pixel coordinates (pixel edges, not centres). */
export interface RotatedBox {
  cx: number;
  cy: number;
  /** Along the line. */
  length: number;
  /** Across the line. */
  thickness: number;
  /** Radians, direction of reading in image coordinates (y down); 0 = left to right, π/2 = top to bottom. */
  angle: number;
}

/** A detected line: its rotated rectangle and the axis-aligned box around it (clamped to the map). */
export interface MapBox extends RotatedBox {
  x: number;
  y: number;
  width: number;
  height: number;
  score: number;
}

const SNAP = (5 * Math.PI) / 180;

export function extractTextBoxes(map: ProbabilityMap, options: Partial<DbOptions> = {}): MapBox[] {
  const opts = { ...DEFAULT_DB_OPTIONS, ...options };
  const { width, height, data } = map;
  if (data.length !== width * height) throw new Error('probability map size does not match its data');
  const regions = labelRegions(data, width, height, opts.threshold)
    .sort((a, b) => b.pixels.length - a.pixels.length)
    .slice(0, opts.maxCandidates);
  const boxes: MapBox[] = [];
  for (const region of regions) {
    const fit = fitRectangle(region.pixels, width);
    if (Math.min(fit.length, fit.thickness) < opts.minSize) continue;
    const score = region.sum / region.pixels.length;
    if (score < opts.boxThreshold) continue;
    const distance = (fit.length * fit.thickness * opts.unclipRatio) / (2 * (fit.length + fit.thickness));
    const grown = { ...fit, length: fit.length + 2 * distance, thickness: fit.thickness + 2 * distance };
    if (Math.min(grown.length, grown.thickness) < opts.minSize + 2) continue;
    const bounds = rotatedBounds(grown);
    const x0 = Math.max(0, bounds.x0);
    const y0 = Math.max(0, bounds.y0);
    const x1 = Math.min(width, bounds.x1);
    const y1 = Math.min(height, bounds.y1);
    if (x1 <= x0 || y1 <= y0) continue;
    boxes.push({ ...grown, x: x0, y: y0, width: x1 - x0, height: y1 - y0, score });
  }
  return boxes;
}

interface Region {
  /** Flat indices of the region's pixels. */
  pixels: number[];
  sum: number;
}

/** 8-connected regions of pixels above the threshold, by flood fill with an explicit stack. */
function labelRegions(data: Float32Array, width: number, height: number, threshold: number): Region[] {
  const visited = new Uint8Array(width * height);
  const stack = new Int32Array(width * height);
  const regions: Region[] = [];
  for (let start = 0; start < data.length; start++) {
    if (visited[start] || !((data[start] ?? 0) > threshold)) continue;
    visited[start] = 1;
    let top = 0;
    stack[top++] = start;
    const region: Region = { pixels: [], sum: 0 };
    while (top > 0) {
      const p = stack[--top]!;
      region.pixels.push(p);
      region.sum += data[p] ?? 0;
      const x = p % width;
      const y = (p - x) / width;
      for (let dy = -1; dy <= 1; dy++) {
        const ny = y + dy;
        if (ny < 0 || ny >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          if (nx < 0 || nx >= width) continue;
          const q = ny * width + nx;
          if (visited[q] || !((data[q] ?? 0) > threshold)) continue;
          visited[q] = 1;
          stack[top++] = q;
        }
      }
    }
    regions.push(region);
  }
  return regions;
}

/** The rectangle along the region's principal axis that spans all its pixels (each pixel a unit square). */
export function fitRectangle(pixels: readonly number[], width: number): RotatedBox {
  let sx = 0;
  let sy = 0;
  for (const p of pixels) {
    sx += p % width;
    sy += Math.floor(p / width);
  }
  const n = pixels.length;
  const mx = sx / n;
  const my = sy / n;
  let cxx = 0;
  let cyy = 0;
  let cxy = 0;
  for (const p of pixels) {
    const dx = (p % width) - mx;
    const dy = Math.floor(p / width) - my;
    cxx += dx * dx;
    cyy += dy * dy;
    cxy += dx * dy;
  }
  let angle = 0.5 * Math.atan2(2 * cxy, cxx - cyy);
  // Reading direction: rising lines keep their negative angle down to -60°, steeper ones read top-down.
  if (angle < -Math.PI / 3) angle += Math.PI;
  const axisAligned = (a: number): RotatedBox => {
    const extent = spans(pixels, width, mx, my, a);
    return { ...extent, angle: a };
  };
  if (Math.abs(angle) < SNAP) return axisAligned(0);
  if (Math.abs(angle - Math.PI / 2) < SNAP) return axisAligned(Math.PI / 2);
  const fitted = axisAligned(angle);
  if (fitted.length < 1.5 * fitted.thickness) {
    // A squarish blob: its principal axis is noise, so treat it as an ordinary upright box.
    return axisAligned(0);
  }
  return fitted;
}

/** Extent of the pixels (as unit squares) along and across `angle`, centred on the span's middle. */
function spans(pixels: readonly number[], width: number, mx: number, my: number, angle: number) {
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  // Half the extent of a unit square projected on each axis.
  const halfU = (Math.abs(cos) + Math.abs(sin)) / 2;
  let uMin = Infinity;
  let uMax = -Infinity;
  let vMin = Infinity;
  let vMax = -Infinity;
  for (const p of pixels) {
    const dx = (p % width) + 0.5 - (mx + 0.5);
    const dy = Math.floor(p / width) + 0.5 - (my + 0.5);
    const u = dx * cos + dy * sin;
    const v = -dx * sin + dy * cos;
    if (u < uMin) uMin = u;
    if (u > uMax) uMax = u;
    if (v < vMin) vMin = v;
    if (v > vMax) vMax = v;
  }
  const cu = (uMin + uMax) / 2;
  const cv = (vMin + vMax) / 2;
  return {
    cx: mx + 0.5 + cu * cos - cv * sin,
    cy: my + 0.5 + cu * sin + cv * cos,
    length: uMax - uMin + 2 * halfU,
    thickness: vMax - vMin + 2 * halfU,
  };
}

/** Axis-aligned bounds of a rotated rectangle. */
export function rotatedBounds(box: RotatedBox): { x0: number; y0: number; x1: number; y1: number } {
  const cos = Math.abs(Math.cos(box.angle));
  const sin = Math.abs(Math.sin(box.angle));
  const halfW = (box.length * cos + box.thickness * sin) / 2;
  const halfH = (box.length * sin + box.thickness * cos) / 2;
  return { x0: box.cx - halfW, y0: box.cy - halfH, x1: box.cx + halfW, y1: box.cy + halfH };
}

/**
 * Share of a width × height grid whose cell centres fall inside any of the rotated rectangles (overlaps
 * counted once), 0..1. Counted on the probability map's grid, which is fine enough for a share of area.
 */
export function rotatedCoverage(boxes: readonly RotatedBox[], width: number, height: number): number {
  if (!boxes.length || width <= 0 || height <= 0) return 0;
  const covered = new Uint8Array(width * height);
  let count = 0;
  for (const box of boxes) {
    const b = rotatedBounds(box);
    const cos = Math.cos(box.angle);
    const sin = Math.sin(box.angle);
    const halfL = box.length / 2;
    const halfT = box.thickness / 2;
    for (let y = Math.max(0, Math.floor(b.y0)); y < Math.min(height, Math.ceil(b.y1)); y++) {
      for (let x = Math.max(0, Math.floor(b.x0)); x < Math.min(width, Math.ceil(b.x1)); x++) {
        const dx = x + 0.5 - box.cx;
        const dy = y + 0.5 - box.cy;
        if (Math.abs(dx * cos + dy * sin) > halfL || Math.abs(-dx * sin + dy * cos) > halfT) continue;
        const i = y * width + x;
        if (!covered[i]) {
          covered[i] = 1;
          count++;
        }
      }
    }
  }
  return count / (width * height);
}
