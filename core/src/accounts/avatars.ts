import { createHash, randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PayloadTooLargeError, ValidationError } from '../errors';
import { UnsupportedImageError } from '../photos';
import type { User, UserService } from '../users';

/** The square sizes a profile photo is rendered in (px): the header menu's and the profile pages'. */
export const AVATAR_SIDES = [64, 256] as const;
export type AvatarSide = (typeof AVATAR_SIDES)[number];
export const AVATAR_FORMATS = ['webp', 'jpeg'] as const;
export type AvatarFormat = (typeof AVATAR_FORMATS)[number];

export interface AvatarFile {
  side: AvatarSide;
  format: AvatarFormat;
  data: Buffer;
}

/**
 * Decodes a profile photo safely and renders its square crops (`@market/vision`'s `createAvatarImager`):
 * the port keeps core free of sharp. A refusal carries the message to show next to the file field.
 */
export interface AvatarImager {
  render(
    content: Buffer,
  ): Promise<
    | { ok: true; files: AvatarFile[] }
    | { ok: false; reason: 'unsupported' | 'pixel_limit' | 'undecodable'; message: string }
  >;
}

/** The key of a person's photo: their id and the content, so two people's identical files never share. */
function avatarKeyOf(userId: string, content: Buffer): string {
  return `av${createHash('sha256').update(userId).update('\0').update(content).digest('hex').slice(0, 32)}`;
}

export const AVATAR_KEY_PATTERN = /^av[0-9a-f]{32}$/;

/**
 * Profile photos on disk, under `<root>/<key[2..4]>/<key>-<side>.<ext>`. Unlike product photos they are
 * deleted: when replaced, removed, or when the account is erased.
 */
export function createAvatars(deps: {
  root: string;
  imager: AvatarImager | null;
  users: Pick<UserService, 'setAvatar'>;
  maxBytes: number;
}) {
  const dirOf = (key: string) => path.join(deps.root, key.slice(2, 4));
  const fileOf = (key: string, side: AvatarSide, format: AvatarFormat) =>
    path.join(dirOf(key), `${key}-${side}.${format === 'jpeg' ? 'jpg' : 'webp'}`);

  async function removeFiles(key: string): Promise<void> {
    if (!AVATAR_KEY_PATTERN.test(key)) return;
    for (const side of AVATAR_SIDES)
      for (const format of AVATAR_FORMATS) await rm(fileOf(key, side, format), { force: true });
  }

  return {
    /**
     * Sets the person's photo: checked and rendered first (nothing is stored for a refused file), the
     * files written under temporary names and renamed into place, then the account points at them and
     * the previous photo's files go.
     */
    async upload(userId: string, content: Buffer): Promise<User> {
      if (!deps.imager)
        throw new ValidationError([{ field: 'file', message: 'photo uploads are off on this node' }]);
      if (content.length === 0)
        throw new ValidationError([{ field: 'file', message: 'the file is empty' }], 'The file is empty');
      if (content.length > deps.maxBytes)
        throw new PayloadTooLargeError(`The photo is larger than ${deps.maxBytes} bytes`, {
          fields: [{ field: 'file', message: `at most ${deps.maxBytes} bytes` }],
        });
      const rendered = await deps.imager.render(content);
      // As for product photos: not an image we take → 415; an image we refuse → 422; both name `file`.
      if (!rendered.ok && rendered.reason === 'unsupported')
        throw new UnsupportedImageError(rendered.message);
      if (!rendered.ok)
        throw new ValidationError([{ field: 'file', message: rendered.message }], rendered.message);
      const key = avatarKeyOf(userId, content);
      await mkdir(dirOf(key), { recursive: true });
      for (const f of rendered.files) {
        const file = fileOf(key, f.side, f.format);
        const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
        await writeFile(temp, f.data);
        await rename(temp, file);
      }
      const { user, previousKey } = await deps.users.setAvatar(userId, key);
      if (previousKey && previousKey !== key) await removeFiles(previousKey);
      return user;
    },

    /** Removes the person's photo (nothing to do when there is none). */
    async remove(userId: string): Promise<User> {
      const { user, previousKey } = await deps.users.setAvatar(userId, null);
      if (previousKey) await removeFiles(previousKey);
      return user;
    },

    /** Deletes a photo's files (account erasure: the account no longer names the key). */
    removeFiles,

    /** The file to serve for a key, size and format, or null for a malformed key. */
    fileFor(key: string, side: AvatarSide, format: AvatarFormat): string | null {
      return AVATAR_KEY_PATTERN.test(key) ? fileOf(key, side, format) : null;
    },
  };
}

export type Avatars = ReturnType<typeof createAvatars>;
