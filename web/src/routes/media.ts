import type Router from '@koa/router';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import {
  AVATAR_SIDES,
  type AvatarSide,
  VARIANT_SIZES,
  type VariantFormat,
  type VariantSize,
} from '@market/core';
import { actorOf, type SessionState } from '../http/session';
import type { WebDeps } from '../web-deps';

const PALETTES = [
  ['#fde68a', '#f59e0b'],
  ['#bfdbfe', '#3b82f6'],
  ['#bbf7d0', '#22c55e'],
  ['#fecaca', '#ef4444'],
  ['#ddd6fe', '#8b5cf6'],
  ['#fbcfe8', '#ec4899'],
  ['#a5f3fc', '#06b6d4'],
  ['#fed7aa', '#f97316'],
  ['#e2e8f0', '#64748b'],
  ['#d9f99d', '#65a30d'],
] as const;

function escapeXml(s: string): string {
  return s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Generated product artwork for products without photos (the demo catalog, new listings): a tile
 * coloured by department with the brand and the product's initial, so a grid never shows broken images.
 */
export function placeholderSvg(input: {
  id: string;
  brand: string;
  name: string;
  nameZh: string;
  department: string;
}): string {
  const hash = createHash('sha1')
    .update(input.department || input.id)
    .digest();
  const [light, dark] = PALETTES[hash[0]! % PALETTES.length]!;
  const glyph = escapeXml([...(input.nameZh || input.name || '?').trim()][0] ?? '?');
  const brand = escapeXml(input.brand.slice(0, 22));
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 400" width="400" height="400">
<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${light}"/><stop offset="1" stop-color="${dark}"/></linearGradient></defs>
<rect width="400" height="400" fill="url(#g)"/>
<circle cx="200" cy="180" r="110" fill="#ffffff" fill-opacity="0.35"/>
<text x="200" y="218" text-anchor="middle" font-family="'Noto Sans CJK SC','PingFang SC','Microsoft YaHei',sans-serif" font-size="110" font-weight="700" fill="#1f2937" fill-opacity="0.8">${glyph}</text>
<text x="200" y="350" text-anchor="middle" font-family="system-ui,sans-serif" font-size="28" font-weight="600" fill="#111827" fill-opacity="0.75">${brand}</text>
</svg>`;
}

const SVG_DATA_URL = 'data:image/svg+xml,';

const MIME: Record<VariantFormat, string> = { avif: 'image/avif', webp: 'image/webp', jpeg: 'image/jpeg' };
const YEAR_SECONDS = 365 * 86_400;

/** Formats in the order to serve them: AVIF, then WebP, when the browser says it takes them; JPEG always. */
export function preferredFormats(accept: string): VariantFormat[] {
  const takes = (type: string) =>
    accept.split(',').some((part) => {
      const [name, ...params] = part.trim().split(';');
      return name?.trim() === type && !params.some((p) => /^\s*q=0(\.0*)?\s*$/.test(p));
    });
  return [
    ...(takes('image/avif') ? ['avif' as const] : []),
    ...(takes('image/webp') ? ['webp' as const] : []),
    'jpeg',
  ];
}

export function mediaRoutes(router: Router, { core }: WebDeps) {
  /**
   * A checked photo's variant. The URL names the content (the original's hash and the variant settings),
   * so a public photo is cached for a year as immutable; the format follows the Accept header (hence
   * `Vary: Accept`). A photo not yet public is shown only to its seller and support, never cached shared.
   */
  router.get('/media/photos/:photoId/:key/:size', async (ctx) => {
    const { photoId, key, size } = ctx.params as { photoId: string; key: string; size: string };
    if (!(VARIANT_SIZES as readonly string[]).includes(size) || !/^[\w-]{1,100}$/.test(key)) {
      ctx.status = 404;
      return;
    }
    const user = (ctx.state as SessionState).user;
    const file = await core.photos.variantFile(
      { photoId, key, size: size as VariantSize, formats: preferredFormats(ctx.get('accept')) },
      user ? actorOf(user) : null,
    );
    const info = file && (await stat(file.path).catch(() => null));
    if (!file || !info) {
      ctx.status = 404;
      return;
    }
    ctx.vary('Accept');
    ctx.set(
      'Cache-Control',
      file.public ? `public, max-age=${YEAR_SECONDS}, immutable` : 'private, no-cache',
    );
    const etag = `"${key.slice(0, 16)}-${size}-${file.format}"`;
    ctx.set('ETag', etag);
    if (ctx.get('if-none-match') === etag) {
      ctx.status = 304;
      return;
    }
    ctx.type = MIME[file.format];
    ctx.length = info.size;
    ctx.body = createReadStream(file.path);
  });

  /**
   * A profile photo: WebP, or JPEG for a browser that does not take WebP. The key names the person and
   * the content, so the file never changes under its URL; but a replaced or erased photo's files are
   * deleted and its URL answers 404, so caches keep it an hour (then revalidate by ETag), not a year.
   */
  router.get('/media/avatars/:key/:side', async (ctx) => {
    const { key, side } = ctx.params as { key: string; side: string };
    const size = Number(side) as AvatarSide;
    if (!(AVATAR_SIDES as readonly number[]).includes(size) || String(size) !== side) {
      ctx.status = 404;
      return;
    }
    const format = preferredFormats(ctx.get('accept')).includes('webp') ? 'webp' : 'jpeg';
    const file = core.accounts.avatars.fileFor(key, size, format);
    const info = file && (await stat(file).catch(() => null));
    if (!file || !info) {
      ctx.status = 404;
      return;
    }
    ctx.vary('Accept');
    ctx.set('Cache-Control', 'public, max-age=3600');
    const etag = `"${key.slice(2, 18)}-${size}-${format}"`;
    ctx.set('ETag', etag);
    if (ctx.get('if-none-match') === etag) {
      ctx.status = 304;
      return;
    }
    ctx.type = MIME[format];
    ctx.length = info.size;
    ctx.body = createReadStream(file);
  });

  router.get('/media/placeholder/:file', async (ctx) => {
    const id = ctx.params.file!.replace(/\.svg$/, '');
    const listing = await core.listings.getListing(id);
    if (!listing) {
      ctx.status = 404;
      return;
    }
    const department = listing.categoryPath[0] ?? listing.categoryId;
    ctx.type = 'image/svg+xml';
    ctx.set('Cache-Control', 'public, max-age=86400');
    // Products that carry drawn art (the demo's, as a `data:` URL) show it wherever only the id is known
    // (search results carry no image); a photo or no art at all gets the generated tile.
    const drawn = listing.imageUrl.startsWith(SVG_DATA_URL)
      ? listing.imageUrl.slice(SVG_DATA_URL.length)
      : null;
    if (drawn) {
      ctx.body = decodeURIComponent(drawn);
      return;
    }
    ctx.body = placeholderSvg({
      id,
      brand: listing.brand,
      name: listing.name,
      nameZh: listing.nameZh,
      department,
    });
  });
}
