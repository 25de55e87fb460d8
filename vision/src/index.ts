export { createPhotoInspector, photoInspectorFor, type PhotoInspectorOptions } from './pipeline/inspector';
export { decodeImage, probeImage, type DecodedImage } from './pipeline/decode';
export { createEvidenceImager } from './pipeline/evidence';
export { renderVariants, VARIANT_MAX_SIDE, VARIANTS_VERSION } from './pipeline/variants';
export { measureQuality } from './quality/metrics';
export { dctHash, hammingDistance, perceptualHash } from './phash/phash';
export { judgePhoto } from './verdict/verdict';
export * from './models';
export { createAvatarImager } from './pipeline/avatar';
