import { deflateSync } from 'node:zlib';
import sharp from 'sharp';

/**
 * Product photos drawn from SVG with known ground truth, for the pipeline's tests and benchmark: what is
 * in each picture is decided here, so a test can say what the check must find.
 */

/** A ceramic mug with a pattern on a white background, filling about 70 % of a square frame. */
export function productSvg(size: number, opts: { background?: string } = {}): string {
  const s = size / 1000;
  const stripes = Array.from(
    { length: 7 },
    (_, i) =>
      `<rect x="${300 * s}" y="${(330 + i * 60) * s}" width="${340 * s}" height="${18 * s}" fill="#1e40af" opacity="0.85"/>`,
  ).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}">
<defs><linearGradient id="body" x1="0" x2="1"><stop offset="0" stop-color="#d97706"/><stop offset="0.5" stop-color="#fbbf24"/><stop offset="1" stop-color="#b45309"/></linearGradient></defs>
<rect width="${size}" height="${size}" fill="${opts.background ?? '#ffffff'}"/>
<ellipse cx="${470 * s}" cy="${860 * s}" rx="${260 * s}" ry="${30 * s}" fill="#e5e7eb"/>
<path d="M ${680 * s} ${360 * s} C ${880 * s} ${360 * s} ${880 * s} ${660 * s} ${680 * s} ${660 * s}" stroke="#92400e" stroke-width="${46 * s}" fill="none"/>
<rect x="${250 * s}" y="${210 * s}" width="${440 * s}" height="${640 * s}" rx="${50 * s}" fill="url(#body)"/>
<ellipse cx="${470 * s}" cy="${215 * s}" rx="${220 * s}" ry="${38 * s}" fill="#78350f"/>
${stripes}
<circle cx="${470 * s}" cy="${560 * s}" r="${70 * s}" fill="#fef3c7" stroke="#7c2d12" stroke-width="${10 * s}"/>
</svg>`;
}

/** A different product, a wrapped gift box, so tests can tell their photos apart from the mug's. */
export function giftBoxSvg(size: number): string {
  const s = size / 1000;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}">
<rect width="${size}" height="${size}" fill="#ffffff"/>
<rect x="${150 * s}" y="${380 * s}" width="${700 * s}" height="${470 * s}" fill="#059669"/>
<rect x="${120 * s}" y="${300 * s}" width="${760 * s}" height="${110 * s}" fill="#047857"/>
<rect x="${455 * s}" y="${300 * s}" width="${90 * s}" height="${550 * s}" fill="#f43f5e"/>
<path d="M ${500 * s} ${300 * s} C ${380 * s} ${140 * s} ${260 * s} ${260 * s} ${500 * s} ${300 * s} C ${740 * s} ${260 * s} ${620 * s} ${140 * s} ${500 * s} ${300 * s}" fill="#e11d48"/>
<circle cx="${300 * s}" cy="${600 * s}" r="${40 * s}" fill="#fde047"/><circle cx="${700 * s}" cy="${700 * s}" r="${40 * s}" fill="#fde047"/>
</svg>`;
}

/** Renders an SVG (optionally with overlays drawn over the product) to an encoded image. */
export async function renderSvg(
  svg: string,
  format: 'jpeg' | 'png' | 'webp' = 'jpeg',
  opts: { blurSigma?: number } = {},
): Promise<Buffer> {
  let image = sharp(Buffer.from(svg));
  if (opts.blurSigma) image = image.blur(opts.blurSigma);
  return format === 'png'
    ? image.png().toBuffer()
    : format === 'webp'
      ? image.webp({ quality: 90 }).toBuffer()
      : image.jpeg({ quality: 92 }).toBuffer();
}

/** The product photo with `overlay` (SVG elements) drawn on top, as a JPEG. */
export function productPhoto(
  size = 1000,
  overlay = '',
  opts: { blurSigma?: number; background?: string } = {},
) {
  const svg = productSvg(size, opts).replace('</svg>', `${overlay}</svg>`);
  return renderSvg(svg, 'jpeg', opts);
}

export const overlays = {
  /** A red banner across the bottom with a mobile number. */
  phoneBanner: (size: number) =>
    `<rect x="0" y="${size * 0.8}" width="${size}" height="${size * 0.14}" fill="#dc2626"/>` +
    `<text x="${size / 2}" y="${size * 0.895}" text-anchor="middle" font-family="Noto Sans CJK SC, DejaVu Sans, sans-serif" font-size="${size * 0.075}" font-weight="700" fill="#ffffff">热线 138 0013 8000</text>`,
  /** A web address in the bottom-right corner. */
  urlCorner: (size: number) =>
    `<text x="${size * 0.97}" y="${size * 0.965}" text-anchor="end" font-family="DejaVu Sans, sans-serif" font-size="${size * 0.045}" font-weight="700" fill="#111827">www.cheap-deals.com</text>`,
  /** A light grey shop name repeated across the photo. */
  faintWatermark: (size: number) =>
    [0.3, 0.5, 0.7]
      .map(
        (y) =>
          `<text x="${size / 2}" y="${size * y}" text-anchor="middle" font-family="DejaVu Sans, sans-serif" font-size="${size * 0.08}" font-weight="700" fill="#6b7280" fill-opacity="0.45">BEST SHOP</text>`,
      )
      .join(''),
};

/** The product photo stored sideways with EXIF orientation 6 ("rotate 90° clockwise to view") and GPS. */
export async function sidewaysPhotoWithGps(width = 1200, height = 900): Promise<Buffer> {
  // Upright the photo is height × width; stored as width × height, turned a quarter turn anticlockwise.
  const upright = await sharp(Buffer.from(productSvg(height)))
    .resize(height, width, { fit: 'fill' })
    .toBuffer();
  return sharp(upright)
    .rotate(-90)
    .jpeg({ quality: 90 })
    .withMetadata({ orientation: 6 })
    .withExif({
      IFD0: { Make: 'Bazaar Test Camera', Model: 'SynthCam 1' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '39/1 54/1 2766/100',
        GPSLongitudeRef: 'E',
        GPSLongitude: '116/1 23/1 2940/100',
      },
    })
    .toBuffer();
}

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const byte of buf) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/**
 * A valid "pixel flood" PNG: `side × side` black pixels at one bit each, so a file of a few hundred
 * kilobytes asks for `side²` pixels (30000² = 900 megapixels, 2.7 GB as RGB) when decoded.
 */
export function pixelFloodPng(side = 30_000): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(side, 0);
  ihdr.writeUInt32BE(side, 4);
  ihdr[8] = 1; // bit depth
  ihdr[9] = 0; // greyscale
  const row = Math.ceil(side / 8) + 1; // filter byte + packed pixels
  const raw = Buffer.alloc(row * side); // all zero: filter 0, black
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(raw, { level: 9 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}
