import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** Below this a page is sent as it is: the encoding would save less than a packet. */
const MIN_BYTES = 1024;

/**
 * Brotli quality 4: close to gzip's speed with smaller output (a 118 kB home page in about 1-2 ms,
 * to ~14 kB); the higher qualities cost several times the CPU on every render for a few per cent.
 */
const BROTLI_QUALITY = 4;

type Encoding = 'br' | 'gzip';

/** The encoding to send: brotli when the browser takes it (every current one over HTTPS), else gzip. */
function pickEncoding(acceptEncoding: string | null): Encoding | null {
  const accepted = new Map<string, number>();
  for (const part of (acceptEncoding ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    accepted.set(name, q ? Number(q.slice(2)) : 1);
  }
  for (const encoding of ['br', 'gzip'] as const) {
    const q = accepted.get(encoding) ?? accepted.get('*') ?? 0;
    if (q > 0) return encoding;
  }
  return null;
}

/**
 * A rendered page compressed for the browser (static assets are precompressed at build time and
 * adapter-node serves those; pages are rendered per request, so they are compressed here). Pages are
 * most of a visit's bytes on a slow phone network: the home page's 118 kB of HTML (its hydration data
 * repeats the cards' artwork) is ~14 kB in brotli.
 *
 * The ETag names the encoding (`"<hash>-br"`), since a strong validator belongs to one representation;
 * SvelteKit compares `If-None-Match` with whatever ETag the response leaves its hook with, so a
 * revalidation of the compressed page still gets its 304 (and is not compressed first). Streamed
 * responses (no Content-Length) pass through as they are.
 */
export async function compressPage(request: Request, response: Response): Promise<Response> {
  const type = response.headers.get('content-type') ?? '';
  const length = Number(response.headers.get('content-length') ?? NaN);
  if (
    request.method !== 'GET' ||
    response.status !== 200 ||
    !type.startsWith('text/html') ||
    response.headers.has('content-encoding') ||
    !(length >= MIN_BYTES)
  ) {
    return response;
  }
  vary(response.headers, 'Accept-Encoding');
  const encoding = pickEncoding(request.headers.get('accept-encoding'));
  if (!encoding) return response;

  const etag = response.headers.get('etag');
  const encodedEtag = etag?.endsWith('"') ? `${etag.slice(0, -1)}-${encoding}"` : null;
  const headers = new Headers(response.headers);
  if (encodedEtag) headers.set('etag', encodedEtag);
  else headers.delete('etag');
  // A revalidation that will be answered 304 (after this hook, by SvelteKit): no need for the bytes.
  if (encodedEtag && sameValidator(request.headers.get('if-none-match'), encodedEtag)) {
    return new Response(response.body, { status: response.status, headers });
  }

  const body = Buffer.from(await response.arrayBuffer());
  const compressed =
    encoding === 'br'
      ? await brotli(body, {
          params: {
            [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
            [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
            [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
          },
        })
      : await gzipAsync(body, { level: 6 });
  headers.set('content-encoding', encoding);
  headers.set('content-length', String(compressed.length));
  return new Response(new Uint8Array(compressed), { status: response.status, headers });
}

function vary(headers: Headers, name: string): void {
  const current = headers.get('vary');
  const names = current?.split(',').map((v) => v.trim().toLowerCase()) ?? [];
  if (names.includes(name.toLowerCase()) || names.includes('*')) return;
  headers.set('vary', current ? `${current}, ${name}` : name);
}

/** SvelteKit's own comparison: one validator, a `W/` prefix ignored. */
function sameValidator(ifNoneMatch: string | null, etag: string): boolean {
  const value = ifNoneMatch?.startsWith('W/"') ? ifNoneMatch.slice(2) : ifNoneMatch;
  return value === etag;
}
