import type { InferenceSession } from 'onnxruntime-node';
import { ort } from '../models/sessions';
import { pipelineOf, type RgbImage } from '../models/rgb-image';
import { ctcGreedyDecode, type CtcCharset, type CtcDecoded } from './ctc';
import type { RotatedBox } from './db-postprocess';

const HEIGHT = 48;
/** PaddleOCR's rec input is 48×320; narrower lines are padded to it, wider ones widen the batch. */
const MIN_BATCH_WIDTH = 320;
/** Bound the cost of one very long banner: beyond this many pixels the line is squeezed. */
const MAX_WIDTH = 48 * 40;
const BATCH_SIZE = 6;

/** A text line to read: its upright box, and its rotated rectangle when it is not upright. */
export interface CropBox extends Partial<RotatedBox> {
  x: number;
  y: number;
  width: number;
  height: number;
}

interface Crop {
  index: number;
  /** Packed RGB at HEIGHT rows and `width` columns. */
  pixels: Buffer;
  width: number;
}

/**
 * Reads each box: crop from the original pixels, turning a slanted or vertical line so that it reads left
 * to right (PaddleOCR's get_rotate_crop_image), scale to 48 px high keeping the aspect ratio,
 * batch crops of similar width (right-padded with zeros, as PaddleOCR does), run the recogniser, decode CTC.
 */
export async function recognizeText(
  session: InferenceSession,
  image: RgbImage,
  boxes: readonly CropBox[],
  charset: CtcCharset,
): Promise<CtcDecoded[]> {
  const crops: Crop[] = [];
  for (const [index, box] of boxes.entries()) {
    const crop = await cropLine(image, box);
    if (crop) crops.push({ index, ...crop });
  }
  const results: CtcDecoded[] = boxes.map(() => ({ text: '', confidence: 0 }));
  crops.sort((a, b) => a.width - b.width);
  for (let start = 0; start < crops.length; start += BATCH_SIZE) {
    const batch = crops.slice(start, start + BATCH_SIZE);
    const batchWidth = Math.max(MIN_BATCH_WIDTH, ...batch.map((c) => c.width));
    const plane = HEIGHT * batchWidth;
    const input = new Float32Array(batch.length * 3 * plane);
    batch.forEach((crop, n) => {
      const base = n * 3 * plane;
      for (let y = 0; y < HEIGHT; y++) {
        for (let x = 0; x < crop.width; x++) {
          const src = (y * crop.width + x) * 3;
          const dst = y * batchWidth + x;
          // BGR, scaled to [-1, 1].
          input[base + dst] = crop.pixels[src + 2]! / 127.5 - 1;
          input[base + plane + dst] = crop.pixels[src + 1]! / 127.5 - 1;
          input[base + 2 * plane + dst] = crop.pixels[src]! / 127.5 - 1;
        }
      }
    });
    const output = await session.run({
      [session.inputNames[0]!]: new ort.Tensor('float32', input, [batch.length, 3, HEIGHT, batchWidth]),
    });
    const probs = output[session.outputNames[0]!]!;
    const [, timesteps, classes] = probs.dims as number[];
    const data = probs.data as Float32Array;
    batch.forEach((crop, n) => {
      const size = timesteps! * classes!;
      results[crop.index] = ctcGreedyDecode(
        data.subarray(n * size, (n + 1) * size),
        timesteps!,
        classes!,
        charset,
      );
    });
  }
  return results;
}

async function cropLine(image: RgbImage, box: CropBox): Promise<{ pixels: Buffer; width: number } | null> {
  const line = box.angle
    ? await uprightLine(image, box as CropBox & RotatedBox)
    : await uprightBox(image, box);
  if (!line) return null;
  const width = Math.min(MAX_WIDTH, Math.max(8, Math.ceil((HEIGHT * line.width) / line.height)));
  const pixels = await pipelineOf(line).resize(width, HEIGHT, { fit: 'fill' }).raw().toBuffer();
  return { pixels, width };
}

async function uprightBox(image: RgbImage, box: CropBox): Promise<RgbImage | null> {
  const left = Math.max(0, Math.floor(box.x));
  const top = Math.max(0, Math.floor(box.y));
  const right = Math.min(image.width, Math.ceil(box.x + box.width));
  const bottom = Math.min(image.height, Math.ceil(box.y + box.height));
  if (right - left < 2 || bottom - top < 2) return null;
  return rawOf(pipelineOf(image).extract({ left, top, width: right - left, height: bottom - top }));
}

/**
 * Cuts the upright box around the line, turns it by −angle (sharp turns about the centre and grows the
 * canvas), then cuts the line's length × thickness around where its centre has moved to.
 */
async function uprightLine(image: RgbImage, box: CropBox & RotatedBox): Promise<RgbImage | null> {
  const around = await uprightBox(image, box);
  if (!around) return null;
  const left = Math.max(0, Math.floor(box.x));
  const top = Math.max(0, Math.floor(box.y));
  const degrees = (-box.angle * 180) / Math.PI;
  const turned = await rawOf(pipelineOf(around).rotate(degrees, { background: '#ffffff' }));
  // The line's centre relative to the crop's centre, turned with it.
  const dx = box.cx - left - around.width / 2;
  const dy = box.cy - top - around.height / 2;
  const cos = Math.cos(-box.angle);
  const sin = Math.sin(-box.angle);
  const cx = turned.width / 2 + dx * cos - dy * sin;
  const cy = turned.height / 2 + dx * sin + dy * cos;
  const x0 = Math.max(0, Math.floor(cx - box.length / 2));
  const y0 = Math.max(0, Math.floor(cy - box.thickness / 2));
  const x1 = Math.min(turned.width, Math.ceil(cx + box.length / 2));
  const y1 = Math.min(turned.height, Math.ceil(cy + box.thickness / 2));
  if (x1 - x0 < 2 || y1 - y0 < 2) return null;
  return rawOf(pipelineOf(turned).extract({ left: x0, top: y0, width: x1 - x0, height: y1 - y0 }));
}

async function rawOf(pipeline: ReturnType<typeof pipelineOf>): Promise<RgbImage> {
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}
