import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { NotFoundError, PayloadTooLargeError, UnsupportedMediaTypeError } from '../errors';

/** A proof photo is a phone snapshot of a parcel at a door: small is plenty. */
export const MAX_PROOF_BYTES = 2 * 1024 * 1024;

const SIGNATURES: { type: string; ext: string; test: (b: Buffer) => boolean }[] = [
  {
    type: 'image/jpeg',
    ext: 'jpg',
    test: (b) => b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  },
  {
    type: 'image/png',
    ext: 'png',
    test: (b) =>
      b.length > 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  },
  {
    type: 'image/webp',
    ext: 'webp',
    test: (b) =>
      b.length > 12 &&
      b.subarray(0, 4).toString('latin1') === 'RIFF' &&
      b.subarray(8, 12).toString('latin1') === 'WEBP',
  },
];

/** The image type from the file's first bytes (what the client claims is not trusted), or null. */
export function sniffImageType(bytes: Buffer): { type: string; ext: string } | null {
  const match = SIGNATURES.find((s) => s.test(bytes));
  return match ? { type: match.type, ext: match.ext } : null;
}

const NAME = /^dl_[\w-]+-[\w-]{8,}\.(jpg|png|webp)$/;

/**
 * Proof-of-delivery photos under DATA_DIR/proofs, one file per delivery attempt. Only checked for size
 * and type here; decoding, re-encoding and moderation belong to the photo pipeline (vision/).
 */
export function createProofStore(dataDir: string) {
  const dir = path.join(dataDir, 'proofs');
  return {
    async save(deliveryId: string, bytes: Buffer): Promise<{ file: string; type: string }> {
      if (bytes.length > MAX_PROOF_BYTES)
        throw new PayloadTooLargeError(`The photo is larger than ${MAX_PROOF_BYTES / 1024 / 1024} MB`, {
          fields: [{ field: 'body', message: `at most ${MAX_PROOF_BYTES} bytes` }],
        });
      if (bytes.length === 0)
        throw new UnsupportedMediaTypeError('Send the photo as the request body (JPEG, PNG or WebP)');
      const kind = sniffImageType(bytes);
      if (!kind) throw new UnsupportedMediaTypeError('The photo must be a JPEG, PNG or WebP image');
      await mkdir(dir, { recursive: true });
      const file = `${deliveryId}-${randomBytes(9).toString('base64url')}.${kind.ext}`;
      await writeFile(path.join(dir, file), bytes, { flag: 'wx' });
      return { file, type: kind.type };
    },

    /** Deletes a photo (account erasure); a file already gone is fine. */
    async remove(file: string): Promise<void> {
      if (NAME.test(file)) await rm(path.join(dir, file), { force: true });
    },

    async read(file: string): Promise<{ bytes: Buffer; type: string }> {
      // The name comes from our own records, but never let it walk out of the folder.
      if (!NAME.test(file)) throw new NotFoundError('Photo');
      const bytes = await readFile(path.join(dir, file)).catch(() => null);
      if (!bytes) throw new NotFoundError('Photo');
      return { bytes, type: sniffImageType(bytes)?.type ?? 'application/octet-stream' };
    },
  };
}

export type ProofStore = ReturnType<typeof createProofStore>;
