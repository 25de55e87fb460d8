import { describe, expect, it } from 'vitest';
import { extractTextBoxes, rotatedCoverage, type ProbabilityMap } from './db-postprocess';

/** A width × height map of `background` with rectangles [x, y, w, h] painted at probability `p`. */
function syntheticMap(
  width: number,
  height: number,
  rects: [number, number, number, number, number?][],
  background = 0.02,
): ProbabilityMap {
  const data = new Float32Array(width * height).fill(background);
  for (const [x, y, w, h, p = 0.95] of rects) {
    for (let yy = y; yy < y + h; yy++) for (let xx = x; xx < x + w; xx++) data[yy * width + xx] = p;
  }
  return { data, width, height };
}

describe('extractTextBoxes', () => {
  it('finds no box in an empty map', () => {
    expect(extractTextBoxes(syntheticMap(64, 64, []))).toEqual([]);
  });

  it('grows a kernel by the DB unclip distance area × ratio / perimeter', () => {
    const [box, ...rest] = extractTextBoxes(syntheticMap(200, 100, [[50, 40, 80, 10]]));
    expect(rest).toEqual([]);
    const d = (80 * 10 * 1.5) / (2 * (80 + 10)); // 6.67 map pixels on every side
    expect(box!.x).toBeCloseTo(50 - d, 5);
    expect(box!.y).toBeCloseTo(40 - d, 5);
    expect(box!.width).toBeCloseTo(80 + 2 * d, 5);
    expect(box!.height).toBeCloseTo(10 + 2 * d, 5);
    expect(box!.score).toBeCloseTo(0.95, 5);
  });

  it('keeps separate regions apart and joins diagonal neighbours (8-connectivity)', () => {
    const map = syntheticMap(120, 60, [
      [10, 10, 30, 8],
      [70, 10, 30, 8],
      [10, 30, 10, 10],
      [20, 40, 10, 10], // touches the previous one only at a corner
    ]);
    const boxes = extractTextBoxes(map).sort((a, b) => a.y - b.y || a.x - b.x);
    expect(boxes).toHaveLength(3);
    const last = boxes[2]!;
    expect(last.height).toBeGreaterThan(20); // 20 rows of kernel plus the unclip margin
  });

  it('drops regions whose mean pixel probability is under the box threshold', () => {
    const map = syntheticMap(100, 40, [
      [5, 5, 40, 10, 0.5], // above the pixel threshold 0.3 but a weak box
      [55, 5, 40, 10, 0.9],
    ]);
    const boxes = extractTextBoxes(map);
    expect(boxes).toHaveLength(1);
    expect(boxes[0]!.x).toBeGreaterThan(45);
  });

  it('drops specks thinner than the minimum size', () => {
    expect(extractTextBoxes(syntheticMap(50, 50, [[10, 10, 30, 2]]))).toEqual([]);
  });

  it('clamps grown boxes to the map', () => {
    const [box] = extractTextBoxes(syntheticMap(60, 30, [[0, 0, 40, 12]]));
    expect(box!.x).toBe(0);
    expect(box!.y).toBe(0);
  });

  it('keeps only the largest candidates', () => {
    const rects: [number, number, number, number][] = [];
    for (let i = 0; i < 5; i++) rects.push([5 + i * 20, 5, 10 + i, 10]);
    const boxes = extractTextBoxes(syntheticMap(120, 30, rects), { maxCandidates: 2 });
    expect(boxes).toHaveLength(2);
    expect(Math.min(...boxes.map((b) => b.x))).toBeGreaterThan(50);
  });
});

describe('rotatedCoverage', () => {
  const upright = (x: number, y: number, w: number, h: number) => ({
    cx: x + w / 2,
    cy: y + h / 2,
    length: w,
    thickness: h,
    angle: 0,
  });

  it('counts overlapping boxes once', () => {
    const boxes = [upright(0, 0, 50, 50), upright(25, 25, 50, 50)];
    expect(rotatedCoverage(boxes, 100, 100)).toBeCloseTo((2 * 2500 - 625) / 10000, 10);
  });

  it('clips boxes to the grid and is 0 without boxes', () => {
    expect(rotatedCoverage([upright(-10, 90, 30, 30)], 100, 100)).toBeCloseTo(0.02, 10);
    expect(rotatedCoverage([], 100, 100)).toBe(0);
  });

  it('counts a slanted line by its own area, not its upright bounds', () => {
    const slanted = { cx: 100, cy: 100, length: 100, thickness: 10, angle: Math.PI / 6 };
    expect(rotatedCoverage([slanted], 200, 200)).toBeCloseTo(1000 / 40000, 2);
  });
});

describe('extractTextBoxes on a slanted line', () => {
  it('fits the rotated rectangle of a line drawn at -30°', () => {
    const width = 300;
    const height = 200;
    const data = new Float32Array(width * height).fill(0.01);
    const angle = -Math.PI / 6;
    const [cx, cy, length, thickness] = [150, 100, 160, 12];
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const dx = x + 0.5 - cx;
        const dy = y + 0.5 - cy;
        const u = dx * Math.cos(angle) + dy * Math.sin(angle);
        const v = -dx * Math.sin(angle) + dy * Math.cos(angle);
        if (Math.abs(u) <= length / 2 && Math.abs(v) <= thickness / 2) data[y * width + x] = 0.9;
      }
    }
    const [box, ...rest] = extractTextBoxes({ data, width, height });
    expect(rest).toEqual([]);
    expect(box!.angle).toBeCloseTo(angle, 1);
    expect(box!.cx).toBeCloseTo(cx, 0);
    expect(box!.cy).toBeCloseTo(cy, 0);
    const d = (length * thickness * 1.5) / (2 * (length + thickness));
    // Within a few pixels: the fit spans whole pixels, and a unit square projects wider on a slant.
    expect(Math.abs(box!.length - (length + 2 * d))).toBeLessThan(4);
    expect(Math.abs(box!.thickness - (thickness + 2 * d))).toBeLessThan(4);
    // The upright bounds of a rising line are far taller than the line is thick.
    expect(box!.height).toBeGreaterThan(80);
  });
});
