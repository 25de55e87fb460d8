/**
 * The photo models: text detection and recognition (PaddleOCR), contact details in the text, unsafe images
 * (open_nsfw) and category fit (EfficientNet-Lite0 on ImageNet), all on onnxruntime-node. Models come from
 * `npm run setup:vision`; loadPhotoModels() throws ModelsMissingError until it has run.
 */
export type {
  AnalyzeOptions,
  ContactFinding,
  ContactKind,
  LoadPhotoModelsOptions,
  ModelFindings,
  PhotoModels,
  TextBox,
} from './types';
export { ModelsMissingError } from './models-missing-error';
export { createPhotoModelRunner, loadPhotoModels } from './photo-models';
export { CATEGORY_CLASSES } from './category-mapping';
export { MODEL_ASSETS, SAMPLE_PHOTOS, assetPath, defaultModelDir, type ModelAsset } from './manifest';
export { checkAsset, sha256File } from './verify-assets';
export { findContacts } from '../text/contacts';
