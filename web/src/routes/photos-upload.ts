import busboy from 'busboy';
import {
  BadRequestError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '@market/core';
import type { AppContext } from '../http/session';

/** Room for the multipart envelope (boundaries, part headers) around the file itself. */
const ENVELOPE_BYTES = 64 * 1024;

function tooLarge(maxBytes: number) {
  const message = `The photo is larger than ${(maxBytes / 1024 / 1024).toFixed(0)} MB`;
  return new PayloadTooLargeError(message, { fields: [{ field: 'file', message }] });
}

/**
 * Reads one photo from a `multipart/form-data` body (field `file`) with busboy, holding at most
 * `maxBytes` of it in memory: a declared length over the limit is refused before reading, and a file that
 * turns out larger is cut off by busboy and answered 413 once the request has been drained (so the
 * browser gets the answer instead of a reset connection).
 */
export function readPhotoUpload(
  ctx: AppContext,
  maxBytes: number,
): Promise<{ name: string; content: Buffer }> {
  if (!ctx.is('multipart/form-data'))
    throw new UnsupportedMediaTypeError('Send the photo as multipart/form-data in a field named "file"');
  const declared = Number(ctx.get('content-length') || 0);
  if (declared > maxBytes + ENVELOPE_BYTES) throw tooLarge(maxBytes);

  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: ctx.req.headers,
        limits: { fileSize: maxBytes, files: 1, fields: 10, parts: 12, fieldSize: 4096 },
      });
    } catch (err) {
      reject(new BadRequestError(`Not a readable multipart body: ${(err as Error).message}`));
      return;
    }
    let file: { name: string; content: Buffer } | null = null;
    let truncated = false;
    parser.on('file', (field, stream, info) => {
      if (field !== 'file') {
        stream.resume();
        return;
      }
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('limit', () => (truncated = true));
      stream.on('close', () => {
        file = { name: info.filename ?? '', content: Buffer.concat(chunks) };
      });
    });
    parser.on('error', (err: Error) =>
      reject(new BadRequestError(`Not a readable multipart body: ${err.message}`)),
    );
    parser.on('close', () => {
      if (truncated) reject(tooLarge(maxBytes));
      else if (!file)
        reject(
          new ValidationError(
            [{ field: 'file', message: 'choose a photo to upload' }],
            'No photo in the upload',
          ),
        );
      else resolve(file);
    });
    ctx.req.on('error', (err) => reject(new BadRequestError(`The upload was interrupted: ${err.message}`)));
    ctx.req.pipe(parser);
  });
}
