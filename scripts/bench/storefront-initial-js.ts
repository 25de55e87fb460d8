/**
 * The JavaScript a server-rendered page makes the browser load before it is interactive: every
 * `<script src>`, `<link rel="modulepreload">` and `import("…")` in the page's inline start-up script,
 * fetched and gzipped here (level 9, as bundle-size tools report), summed. Inline scripts (SvelteKit's
 * start-up script, JSON-LD) count with the HTML, whose size is given as the browser receives it.
 */
import { gzipSync } from 'node:zlib';

export interface InitialJs {
  files: number;
  rawBytes: number;
  gzipBytes: number;
  /** The page's HTML as sent to a browser that accepts brotli and gzip. */
  htmlTransferBytes: number;
}

const SCRIPT_SRC = /<script\b[^>]*\bsrc="([^"]+)"/g;
const MODULEPRELOAD =
  /<link\b[^>]*\bhref="([^"]+)"[^>]*\brel="modulepreload"|<link\b[^>]*\brel="modulepreload"[^>]*\bhref="([^"]+)"/g;
const DYNAMIC_IMPORT = /\bimport\(\s*"([^"]+\.js)"\s*\)/g;

export async function measureInitialJs(pageUrl: string): Promise<InitialJs> {
  const page = await fetch(pageUrl, { headers: { 'accept-language': 'en' } });
  if (!page.ok) throw new Error(`${pageUrl} answered ${page.status}`);
  const html = await page.text();
  const sent = await fetch(page.url, { headers: { 'accept-language': 'en', 'accept-encoding': 'br, gzip' } });
  const htmlTransferBytes = Number(
    sent.headers.get('content-length') ?? (await sent.arrayBuffer()).byteLength,
  );

  const urls = new Set<string>();
  for (const pattern of [SCRIPT_SRC, MODULEPRELOAD, DYNAMIC_IMPORT]) {
    for (const match of html.matchAll(pattern)) {
      const href = match[1] ?? match[2];
      if (href) urls.add(new URL(href, page.url).href);
    }
  }
  let rawBytes = 0;
  let gzipBytes = 0;
  for (const url of urls) {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`${url} answered ${res.status}`);
    const body = Buffer.from(await res.arrayBuffer());
    rawBytes += body.length;
    gzipBytes += gzipSync(body, { level: 9 }).length;
  }
  return { files: urls.size, rawBytes, gzipBytes, htmlTransferBytes };
}
