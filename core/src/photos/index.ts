export { createPhotoService, PHOTO_CHECK_JOB, type PhotoService, type ProductPhotos } from './service';
export { createDiskPhotoStore, sha256Of, VARIANT_EXTENSIONS, type PhotoStore } from './storage';
export { PhotoQuotaError, UnsupportedImageError } from './errors';
export { REVIEW_NOTE_MAX } from './review';
export * from './types';
