import type { InferenceSession } from 'onnxruntime-node';
import { ort } from '../models/sessions';
import { pipelineOf, type RgbImage } from '../models/rgb-image';
import { extractTextBoxes, rotatedCoverage, type DbOptions, type RotatedBox } from './db-postprocess';

export interface DetectorOptions {
  /** The longer side is scaled down to at most this (PaddleOCR's det_limit_side_len, 'max' mode). */
  maxSide: number;
  db: Partial<DbOptions>;
}

export const DEFAULT_DETECTOR_OPTIONS: DetectorOptions = { maxSide: 960, db: {} };

/** A detected text line in original-image pixels: its rotated rectangle and the upright box around it. */
export interface DetectedBox extends RotatedBox {
  x: number;
  y: number;
  width: number;
  height: number;
  score: number;
}

export interface DetectedText {
  /** In reading order: top to bottom, left to right. */
  boxes: DetectedBox[];
  /** Share of the image inside the (rotated) line rectangles, 0..1. */
  coverage: number;
}

/** PaddleOCR trains its detector on OpenCV's BGR pixels normalised with these (ImageNet) values, in that order. */
const MEAN = [0.485, 0.456, 0.406] as const;
const STD = [0.229, 0.224, 0.225] as const;

/**
 * The detector's input: scaled so the longer side is at most `maxSide`, each side rounded to a multiple of
 * 32 (the network downsamples 32×), BGR, normalised, NCHW.
 */
export async function detectorInput(
  image: RgbImage,
  maxSide: number,
): Promise<{ input: Float32Array; width: number; height: number }> {
  const ratio = Math.min(1, maxSide / Math.max(image.width, image.height));
  const width = Math.max(32, Math.round((image.width * ratio) / 32) * 32);
  const height = Math.max(32, Math.round((image.height * ratio) / 32) * 32);
  const data = await pipelineOf(image).resize(width, height, { fit: 'fill' }).raw().toBuffer();
  const plane = width * height;
  const input = new Float32Array(3 * plane);
  for (let i = 0; i < plane; i++) {
    for (let c = 0; c < 3; c++) {
      // Channel c of the BGR input is RGB channel 2 - c.
      input[c * plane + i] = (data[i * 3 + 2 - c]! / 255 - MEAN[c]!) / STD[c]!;
    }
  }
  return { input, width, height };
}

/** Text lines of the image, in original-image coordinates, and the share of the image they cover. */
export async function detectText(
  session: InferenceSession,
  image: RgbImage,
  options: DetectorOptions = DEFAULT_DETECTOR_OPTIONS,
): Promise<DetectedText> {
  const { input, width, height } = await detectorInput(image, options.maxSide);
  const output = await session.run({
    [session.inputNames[0]!]: new ort.Tensor('float32', input, [1, 3, height, width]),
  });
  const map = output[session.outputNames[0]!]!;
  const [, , mapHeight, mapWidth] = map.dims as number[];
  const found = extractTextBoxes(
    { data: map.data as Float32Array, width: mapWidth!, height: mapHeight! },
    options.db,
  );
  const sx = image.width / mapWidth!;
  const sy = image.height / mapHeight!;
  const boxes = found.map((b): DetectedBox => {
    // The map is the image scaled by (sx, sy), nearly equal: map the rectangle's axes through that scaling.
    const along = [Math.cos(b.angle) * sx, Math.sin(b.angle) * sy] as const;
    const across = [-Math.sin(b.angle) * sx, Math.cos(b.angle) * sy] as const;
    return {
      x: b.x * sx,
      y: b.y * sy,
      width: b.width * sx,
      height: b.height * sy,
      score: b.score,
      cx: b.cx * sx,
      cy: b.cy * sy,
      angle: Math.atan2(along[1], along[0]),
      length: b.length * Math.hypot(...along),
      thickness: b.thickness * Math.hypot(...across),
    };
  });
  return { boxes: readingOrder(boxes), coverage: rotatedCoverage(found, mapWidth!, mapHeight!) };
}

/** Share of the image inside the lines' rotated rectangles, counted on a grid of at most 512 cells a side. */
export function textCoverage(boxes: readonly RotatedBox[], width: number, height: number): number {
  const k = Math.min(1, 512 / Math.max(width, height));
  const grid = boxes.map((b) => ({
    ...b,
    cx: b.cx * k,
    cy: b.cy * k,
    length: b.length * k,
    thickness: b.thickness * k,
  }));
  return rotatedCoverage(grid, Math.max(1, Math.round(width * k)), Math.max(1, Math.round(height * k)));
}

/**
 * Top to bottom; boxes whose tops are within half a line of each other count as one row and go left to
 * right (PaddleOCR's sorted_boxes uses a fixed 10 px, which does not scale with the photo).
 */
export function readingOrder<T extends { x: number; y: number; height: number }>(boxes: T[]): T[] {
  const sorted = [...boxes].sort((a, b) => a.y - b.y || a.x - b.x);
  for (let i = 1; i < sorted.length; i++) {
    for (let j = i; j > 0; j--) {
      const prev = sorted[j - 1]!;
      const cur = sorted[j]!;
      const sameRow = Math.abs(cur.y - prev.y) < Math.min(cur.height, prev.height) / 2;
      if (!(sameRow && cur.x < prev.x)) break;
      sorted[j - 1] = cur;
      sorted[j] = prev;
    }
  }
  return sorted;
}
