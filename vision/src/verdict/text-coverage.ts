import type { PhotoTextBox } from '@market/core';

/** Boxes count as text when at least this many characters were read… */
export const MIN_LEGIBLE_CHARS = 2;
/** …with at least this mean confidence. */
export const MIN_LEGIBLE_CONFIDENCE = 0.7;
const GRID = 256;

/**
 * A detected box counts when the recogniser read something legible in it. The detector also fires on
 * round or striped shapes (a mug's decoration comes back as one large "O" or "D" at low confidence), and
 * a rule against banners must not reject a plain product for its pattern.
 */
export function isLegible(box: PhotoTextBox): boolean {
  return (
    [...box.text.replace(/\s+/g, '')].length >= MIN_LEGIBLE_CHARS && box.confidence >= MIN_LEGIBLE_CONFIDENCE
  );
}

/** Share of the frame covered by legible text: the union of the boxes (overlaps count once), on a 256² grid. */
export function legibleTextCoverage(boxes: PhotoTextBox[], width: number, height: number): number {
  const legible = boxes.filter(isLegible);
  if (!legible.length || width <= 0 || height <= 0) return 0;
  const cells = new Uint8Array(GRID * GRID);
  for (const b of legible) {
    const x0 = Math.max(0, Math.floor((b.x / width) * GRID));
    const x1 = Math.min(GRID, Math.ceil(((b.x + b.width) / width) * GRID));
    const y0 = Math.max(0, Math.floor((b.y / height) * GRID));
    const y1 = Math.min(GRID, Math.ceil(((b.y + b.height) / height) * GRID));
    for (let y = y0; y < y1; y++) cells.fill(1, y * GRID + x0, y * GRID + Math.max(x0, x1));
  }
  let covered = 0;
  for (const cell of cells) covered += cell;
  return covered / (GRID * GRID);
}
