import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pixelFloodPng, sidewaysPhotoWithGps } from '@market/vision/synthetic';
import type { User } from '@market/web/wire';
import { fetchBytes } from './aftersales-helpers';
import { adminOf, registerUser } from './support/accounts';
import { startTestApp, type TestApp } from './support/app';
import { ApiClient, type ApiErrorBody, type Response } from './support/client';
import { checkWireResponse } from './support/wire-check';

/**
 * Profile photos over the real API: the product photos' safe decode (format from the bytes, the pixel
 * limit before decoding, metadata stripped), a square crop in two small sizes served by content type,
 * only ever the signed-in person's own photo, and the files deleted when replaced or removed.
 */

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.close());

/** Uploads as the settings page does: PUT multipart/form-data, field `file`. */
async function uploadAvatar(
  client: ApiClient,
  content: Buffer,
  name = 'me.jpg',
  type = 'image/jpeg',
): Promise<Response<User>> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(content)], { type }), name);
  const path = '/api/account/avatar';
  const res = await fetch(client.baseUrl + path, {
    method: 'PUT',
    headers: { cookie: client.cookieHeader(), 'x-csrf-token': client.csrfToken },
    body: form,
  });
  const text = await res.text();
  const body: unknown = res.headers.get('content-type')?.includes('json') && text ? JSON.parse(text) : text;
  if (res.ok) checkWireResponse('PUT', path, res.status, body);
  const error = (body as { error?: ApiErrorBody }).error as ApiErrorBody;
  return { status: res.status, body: body as User, headers: res.headers, error };
}

async function fetchAs(url: string, accept: string) {
  const res = await fetch(app.url + url, { headers: { accept } });
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    body: Buffer.from(await res.arrayBuffer()),
  };
}

describe('profile photos', () => {
  it('stores a square, metadata-free photo in two sizes and serves WebP or JPEG by Accept', async () => {
    const alice = await registerUser(app.url);
    const photo = await sidewaysPhotoWithGps(1200, 900);
    expect((await sharp(photo).metadata()).exif?.length).toBeGreaterThan(0);

    const res = await uploadAvatar(alice, photo);
    expect(res.status).toBe(200);
    expect(res.body.avatarUrl).toMatch(/^\/media\/avatars\/av[0-9a-f]{32}\/256$/);
    expect((await alice.get('/api/auth/session')).body.user!.avatarUrl).toBe(res.body.avatarUrl);

    const large = await fetchAs(res.body.avatarUrl!, 'image/avif,image/webp,*/*');
    expect(large.status).toBe(200);
    expect(large.type).toBe('image/webp');
    const largeMeta = await sharp(large.body).metadata();
    expect([largeMeta.width, largeMeta.height]).toEqual([256, 256]);
    expect(largeMeta.exif).toBeUndefined();
    expect(largeMeta.xmp).toBeUndefined();

    const small = await fetchAs(res.body.avatarUrl!.replace(/256$/, '64'), 'image/jpeg');
    expect(small.status).toBe(200);
    expect(small.type).toBe('image/jpeg');
    const smallMeta = await sharp(small.body).metadata();
    expect([smallMeta.width, smallMeta.height, smallMeta.exif]).toEqual([64, 64, undefined]);
    expect((await fetchAs(res.body.avatarUrl!.replace(/256$/, '128'), 'image/webp')).status).toBe(404);

    // The admin's person page shows it.
    const admin = await adminOf(app);
    expect((await admin.get(`/api/admin/users/${alice.user.id}`)).body.avatarUrl).toBe(res.body.avatarUrl);
  });

  it('refuses a file that is not an image (415) and a pixel flood (422), naming the field, and keeps the photo', async () => {
    const bob = await registerUser(app.url);
    const first = await uploadAvatar(bob, await sidewaysPhotoWithGps(400, 300));
    expect(first.status).toBe(200);

    const text = await uploadAvatar(bob, Buffer.from('not a picture\n'.repeat(40)), 'me.jpg');
    expect(text.status).toBe(415);
    expect(text.error.fields[0]).toMatchObject({ field: 'file' });

    const flood = await uploadAvatar(bob, pixelFloodPng(30_000), 'flood.png', 'image/png');
    expect(flood.status).toBe(422);
    expect(flood.error.fields[0]).toMatchObject({ field: 'file' });
    expect(flood.error.message).toMatch(/30000×30000 pixels/);

    const empty = await uploadAvatar(bob, Buffer.alloc(0));
    expect(empty.status).toBe(422);
    expect(empty.error.fields[0]).toMatchObject({ field: 'file' });

    const notMultipart = await bob.put('/api/account/avatar', { file: 'x' });
    expect(notMultipart.status).toBe(415);

    expect((await bob.get('/api/auth/session')).body.user!.avatarUrl).toBe(first.body.avatarUrl);
    expect((await fetchAs(first.body.avatarUrl!, 'image/webp')).status).toBe(200);
  });

  it('changes only the signed-in person’s photo; a replaced or removed photo’s files are gone', async () => {
    const carol = await registerUser(app.url);
    const dave = await registerUser(app.url);
    // Without a session a write must be JSON (no cross-site form post gets through): refused unread.
    const anonymous = await uploadAvatar(new ApiClient(app.url), await sidewaysPhotoWithGps(300, 300));
    expect(anonymous.status).toBe(403);

    const carols = await uploadAvatar(carol, await sidewaysPhotoWithGps(600, 400));
    // The same picture from someone else is their own file, which carol's removal does not touch.
    const davesSame = await uploadAvatar(dave, await sidewaysPhotoWithGps(600, 400));
    expect(davesSame.body.avatarUrl).not.toBe(carols.body.avatarUrl);
    expect((await fetchBytes(dave, carols.body.avatarUrl!)).status).toBe(200);

    const replaced = await uploadAvatar(carol, await sidewaysPhotoWithGps(500, 500));
    expect(replaced.body.avatarUrl).not.toBe(carols.body.avatarUrl);
    expect((await fetchAs(carols.body.avatarUrl!, 'image/webp')).status).toBe(404);

    const removed = await carol.delete('/api/account/avatar');
    expect(removed.status).toBe(200);
    expect(removed.body.avatarUrl).toBeNull();
    expect((await fetchAs(replaced.body.avatarUrl!, 'image/webp')).status).toBe(404);
    expect((await fetchAs(replaced.body.avatarUrl!.replace(/256$/, '64'), 'image/jpeg')).status).toBe(404);

    expect((await dave.get('/api/auth/session')).body.user!.avatarUrl).toBe(davesSame.body.avatarUrl);
    expect((await fetchAs(davesSame.body.avatarUrl!, 'image/webp')).status).toBe(200);
    expect((await new ApiClient(app.url).delete('/api/account/avatar')).status).toBe(401);
  });
});
