import { AppError } from '../errors';

/** The upload is not an image we accept (detected from its bytes, whatever its name says). */
export class UnsupportedImageError extends AppError {
  readonly code = 'unsupported_image';
  readonly status = 415;
  constructor(message: string) {
    super(message, { fields: [{ field: 'file', message }] });
  }
}

/** A quota would be exceeded: photos per product or photos per seller. */
export class PhotoQuotaError extends AppError {
  readonly code = 'photo_quota_exceeded';
  readonly status = 409;
  constructor(scope: 'product' | 'seller', limit: number, used: number) {
    const message =
      scope === 'product'
        ? `This product already has ${used} photos; the limit is ${limit} per product`
        : `You have ${used} photos stored; the limit is ${limit} per seller`;
    super(message, { fields: [{ field: 'file', message }], quota: { scope, limit, used } });
  }
}
