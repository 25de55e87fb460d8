import sharp from 'sharp';

/**
 * Product-like photos drawn from SVG with sharp, with known ground truth: where each painted text line is
 * (measured from its own rendering, not guessed from the font size) and what it says. Used by the model
 * tests and by `npm run eval:vision`. Fonts come from fontconfig; Noto Sans CJK SC (fonts-noto-cjk, which
 * .ci/run installs) renders the Chinese.
 */
export interface TextLine {
  text: string;
  /** Anchor point: left/centre/right of the baseline, per `anchor`. */
  x: number;
  y: number;
  size: number;
  font?: string;
  color?: string;
  opacity?: number;
  anchor?: 'start' | 'middle' | 'end';
  weight?: 'normal' | 'bold';
  /** Degrees, around the anchor point. */
  rotate?: number;
  /** A filled band behind the line (a banner), padded around the text. */
  band?: string;
}

export interface Scene {
  width: number;
  height: number;
  /** CSS colour, or two for a vertical gradient. */
  background: string | [string, string];
  /** Extra SVG drawn over the background and under the text: the "product". */
  product?: string;
  lines?: TextLine[];
}

export interface LineTruth {
  text: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

export const CJK_FONT = 'Noto Sans CJK SC';

const escapeXml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function textElement(line: TextLine): string {
  const font = line.font ? `${line.font}, ${CJK_FONT}` : CJK_FONT;
  const transform = line.rotate ? ` transform="rotate(${line.rotate} ${line.x} ${line.y})"` : '';
  return `<text x="${line.x}" y="${line.y}" font-family="${escapeXml(font)}" font-size="${line.size}" font-weight="${line.weight ?? 'normal'}" fill="${line.color ?? '#111111'}" fill-opacity="${line.opacity ?? 1}" text-anchor="${line.anchor ?? 'start'}"${transform}>${escapeXml(line.text)}</text>`;
}

function backgroundElement(scene: Scene): string {
  if (typeof scene.background === 'string') {
    return `<rect width="${scene.width}" height="${scene.height}" fill="${scene.background}"/>`;
  }
  const [top, bottom] = scene.background;
  return `<defs><linearGradient id="bg" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${top}"/><stop offset="1" stop-color="${bottom}"/></linearGradient></defs><rect width="${scene.width}" height="${scene.height}" fill="url(#bg)"/>`;
}

const svgOf = (scene: Scene, body: string) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${scene.width}" height="${scene.height}">${body}</svg>`;

/** The tight box of one line's ink, measured by rendering it alone and trimming the transparent margin. */
async function measureLine(scene: Scene, line: TextLine): Promise<LineTruth | null> {
  const alone = svgOf(scene, textElement({ ...line, opacity: 1, color: '#000000' }));
  const { info } = await sharp(Buffer.from(alone))
    .ensureAlpha()
    .trim({ background: '#00000000', threshold: 10 })
    .toBuffer({ resolveWithObject: true })
    .catch(() => ({ info: null }));
  if (!info || info.trimOffsetLeft === undefined || info.trimOffsetTop === undefined) return null;
  return {
    text: line.text,
    x: -info.trimOffsetLeft,
    y: -info.trimOffsetTop,
    width: info.width,
    height: info.height,
  };
}

/** Renders the scene to PNG and returns each visible line's measured box. */
export async function renderScene(scene: Scene): Promise<{ png: Buffer; truth: LineTruth[] }> {
  const lines = scene.lines ?? [];
  const truth: LineTruth[] = [];
  const bands: string[] = [];
  for (const line of lines) {
    const box = await measureLine(scene, line);
    if (!box) continue;
    truth.push(box);
    if (line.band) {
      const pad = Math.round(line.size * 0.4);
      bands.push(
        `<rect x="${box.x - pad}" y="${box.y - pad}" width="${box.width + 2 * pad}" height="${box.height + 2 * pad}" fill="${line.band}"/>`,
      );
    }
  }
  const svg = svgOf(
    scene,
    backgroundElement(scene) + (scene.product ?? '') + bands.join('') + lines.map(textElement).join(''),
  );
  const png = await sharp(Buffer.from(svg)).png().toBuffer();
  return { png, truth };
}

/** A simple product: a rounded device with a screen, a shadow and a highlight, centred. */
export function deviceProduct(width: number, height: number, body = '#2f4858', screen = '#86bbd8'): string {
  const w = Math.round(Math.min(width, height) * 0.32);
  const h = Math.round(w * 1.9);
  const x = Math.round((width - w) / 2);
  const y = Math.round((height - h) / 2);
  return [
    `<ellipse cx="${width / 2}" cy="${y + h + 12}" rx="${w * 0.6}" ry="10" fill="#000" fill-opacity="0.15"/>`,
    `<rect x="${x}" y="${y}" width="${w}" height="${h}" rx="${w * 0.14}" fill="${body}"/>`,
    `<rect x="${x + w * 0.07}" y="${y + h * 0.06}" width="${w * 0.86}" height="${h * 0.84}" rx="${w * 0.06}" fill="${screen}"/>`,
    `<circle cx="${width / 2}" cy="${y + h * 0.95}" r="${w * 0.04}" fill="#ccc"/>`,
  ].join('');
}
