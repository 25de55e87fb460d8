import type { InferenceSession } from 'onnxruntime-node';
import { ort } from './sessions';
import { pipelineOf, type RgbImage } from './rgb-image';

const RESIZE = 256;
const CROP = 224;

/**
 * EfficientNet-Lite0's input: shorter side to 256, centre crop 224×224 (the usual ImageNet evaluation crop,
 * 0.875), RGB scaled as (pixel − 127) / 128 — the Lite models' normalisation — in NCHW order.
 */
export async function classifierInput(image: RgbImage): Promise<Float32Array> {
  const scale = RESIZE / Math.min(image.width, image.height);
  const width = Math.max(CROP, Math.round(image.width * scale));
  const height = Math.max(CROP, Math.round(image.height * scale));
  const data = await pipelineOf(image)
    .resize(width, height, { fit: 'fill' })
    .extract({
      left: Math.floor((width - CROP) / 2),
      top: Math.floor((height - CROP) / 2),
      width: CROP,
      height: CROP,
    })
    .raw()
    .toBuffer();
  const plane = CROP * CROP;
  const input = new Float32Array(3 * plane);
  for (let i = 0; i < plane; i++) {
    input[i] = (data[i * 3]! - 127) / 128;
    input[plane + i] = (data[i * 3 + 1]! - 127) / 128;
    input[2 * plane + i] = (data[i * 3 + 2]! - 127) / 128;
  }
  return input;
}

/** Softmax probabilities over the 1000 ImageNet classes. */
export async function classifyImage(session: InferenceSession, image: RgbImage): Promise<Float32Array> {
  const input = new ort.Tensor('float32', await classifierInput(image), [1, 3, CROP, CROP]);
  const output = await session.run({ [session.inputNames[0]!]: input });
  return output[session.outputNames[0]!]!.data as Float32Array;
}

export function topK(
  probabilities: Float32Array,
  labels: readonly string[],
  k: number,
): { index: number; label: string; score: number }[] {
  return Array.from(probabilities, (score, index) => ({ index, score }))
    .sort((a, b) => b.score - a.score)
    .slice(0, k)
    .map(({ index, score }) => ({ index, label: labels[index] ?? `class ${index}`, score }));
}
