import { createHash, randomBytes } from 'node:crypto';
import { access, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { VariantFormat, VariantSize } from './types';

export const VARIANT_EXTENSIONS: Record<VariantFormat, string> = { avif: 'avif', webp: 'webp', jpeg: 'jpg' };

/**
 * Where photo files live. Every name is derived from content (the original's SHA-256), so writing the
 * same file twice — a retried check, two sellers uploading the same picture — is the same file, never a
 * copy. Writes go to a temporary name first and are renamed into place, so a reader never sees half a
 * file. On the embedded default this is `DATA_DIR/uploads`; in production a mounted volume.
 */
export interface PhotoStore {
  putOriginal(sha256: string, data: Buffer): Promise<void>;
  readOriginal(sha256: string): Promise<Buffer>;
  /** Writes a variant unless it is already there; returns whether it wrote. */
  putVariant(key: string, size: VariantSize, format: VariantFormat, data: Buffer): Promise<boolean>;
  /** Absolute path of a variant file (for streaming it). */
  variantPath(key: string, size: VariantSize, format: VariantFormat): string;
  readonly root: string;
}

export function sha256Of(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );

async function writeOnce(file: string, data: Buffer): Promise<boolean> {
  if (await exists(file)) return false;
  await mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temp, data);
    await rename(temp, file);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
  return true;
}

export function createDiskPhotoStore(root: string): PhotoStore {
  // Two hex digits of fan-out keep directories small.
  const originalPath = (sha: string) => path.join(root, 'originals', sha.slice(0, 2), sha);
  const variantPath = (key: string, size: VariantSize, format: VariantFormat) =>
    path.join(root, 'variants', key.slice(0, 2), `${key}-${size}.${VARIANT_EXTENSIONS[format]}`);
  return {
    root,
    async putOriginal(sha256, data) {
      await writeOnce(originalPath(sha256), data);
    },
    readOriginal: (sha256) => readFile(originalPath(sha256)),
    putVariant: (key, size, format, data) => writeOnce(variantPath(key, size, format), data),
    variantPath,
  };
}
