/**
 * npm run eval:vision [-- --images 240 --seed 7]
 *
 * Precision and recall of the text detector, the recogniser and the contact detector on generated product
 * photos with known ground truth (varied fonts, sizes, colours, opacity, angles, positions, backgrounds,
 * banners and watermarks; Chinese and English; about half with contact details, plus decoys such as SKUs,
 * prices and sizes), and what can honestly be measured of the unsafe-image and category models: their
 * answers on the real photographs that ship with scikit-image (all benign, one with a known category).
 * Needs `npm run setup:vision`.
 */
import { readFile, writeFile } from 'node:fs/promises';
import cliProgress from 'cli-progress';
import { createRandom, type Random } from '@market/demo/random';
import {
  assetPath,
  CATEGORY_CLASSES,
  type ContactKind,
  createPhotoModelRunner,
  defaultModelDir,
  findContacts,
  SAMPLE_PHOTOS,
} from '@market/vision/models';
import {
  deviceProduct,
  renderScene,
  type LineTruth,
  type Scene,
  type TextLine,
} from '@market/vision/synthetic';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const IMAGES = arg('images', 240);
const SEED = arg('seed', 7);
const modelDir = process.env.VISION_MODEL_DIR ?? defaultModelDir();

const FONTS = [
  'Noto Sans CJK SC',
  'Noto Serif CJK SC',
  'Noto Sans Mono CJK SC',
  'DejaVu Sans',
  'DejaVu Serif',
  'DejaVu Sans Mono',
  'Liberation Sans',
  'Liberation Serif',
];

type LineKind = 'zh' | 'en' | 'decoy' | ContactKind;

interface GeneratedLine {
  text: string;
  kind: LineKind;
}

function lineText(rng: Random, kind: LineKind): string {
  const digits = (n: number) => Array.from({ length: n }, () => rng.int(0, 9)).join('');
  const word = (min: number, max: number) =>
    Array.from({ length: rng.int(min, max) }, () => 'abcdefghijkmnpqrstuvwxyz'[rng.int(0, 23)]).join('');
  switch (kind) {
    case 'zh':
      return rng.pick([
        '正品保证',
        '限时特价',
        '新品上市',
        '包邮',
        '买一送一',
        '官方旗舰店',
        '假一赔十',
        '七天无理由退换',
        '爆款热卖',
        '品质保障 放心购',
      ]);
    case 'en':
      return rng.pick([
        'NEW ARRIVAL',
        'Best Seller',
        'Free Shipping',
        'Limited Edition',
        'Premium Quality',
        '100% Original',
        'SALE 50% OFF',
        'Hot Deal',
      ]);
    case 'decoy':
      return rng.pick([
        `SKU ${digits(7)}`,
        `型号 X${digits(3)}`,
        `¥${rng.int(19, 2999)}.00`,
        `尺寸 ${rng.int(10, 60)}x${rng.int(10, 60)}cm`,
        `${rng.int(32, 512)}GB 6.${rng.int(1, 9)} inch`,
        `Model ${word(2, 3).toUpperCase()}-${digits(4)}`,
        `容量 ${rng.int(100, 999)}ml`,
      ]);
    case 'phone': {
      const mobile = `1${rng.int(3, 9)}${digits(9)}`;
      const grouped = `${mobile.slice(0, 3)}${rng.pick([' ', '-'])}${mobile.slice(3, 7)}${rng.pick([' ', '-'])}${mobile.slice(7)}`;
      return rng.pick([
        `订购热线 ${mobile}`,
        `电话 ${grouped}`,
        `Tel: +86 ${grouped}`,
        `咨询 ${mobile}`,
        `客服 400-${digits(3)}-${digits(4)}`,
        `座机 0${rng.int(10, 99)}-${rng.int(2, 8)}${digits(7)}`,
      ]);
    }
    case 'url':
      return rng.pick([
        `www.${word(4, 9)}.com`,
        `${word(4, 8)}-shop.cn`,
        `http://${word(4, 8)}.net`,
        `官网 www.${word(3, 7)}.com.cn`,
        `https://${word(4, 8)}.shop`,
      ]);
    case 'email':
      return rng.pick([
        `${word(3, 8)}@${rng.pick(['163.com', 'qq.com', 'gmail.com', `${word(3, 6)}.cn`])}`,
        `邮箱 ${word(4, 8)}${digits(2)}@126.com`,
        `Email: ${word(3, 6)}.${word(3, 6)}@outlook.com`,
      ]);
    case 'qq':
      return rng.pick([
        `QQ ${rng.int(1, 9)}${digits(rng.int(6, 9))}`,
        `QQ:${rng.int(1, 9)}${digits(7)}`,
        `扣扣 ${rng.int(1, 9)}${digits(7)}`,
      ]);
    case 'wechat':
      return rng.pick([
        `微信 ${word(4, 8)}_${digits(3)}`,
        `微信号: ${word(5, 9)}${digits(2)}`,
        `VX ${word(4, 8)}${digits(3)}`,
        `加微 ${word(5, 8)}${digits(4)}`,
        `WeChat: ${word(6, 10)}`,
      ]);
  }
}

const CONTACT_KINDS: ContactKind[] = ['phone', 'url', 'email', 'qq', 'wechat'];

interface Sample {
  scene: Scene;
  lines: GeneratedLine[];
}

function generateSample(rng: Random): Sample {
  const [width, height] = rng.pick([
    [800, 800],
    [1000, 750],
    [750, 1000],
    [1200, 900],
    [640, 640],
  ] as const);
  const style = rng.weightedIndex([40, 25, 20, 15]);
  const pastel = () => `hsl(${rng.int(0, 359)}, ${rng.int(20, 60)}%, ${rng.int(82, 94)}%)`;
  const background: Scene['background'] =
    style === 0
      ? '#ffffff'
      : style === 1
        ? pastel()
        : style === 2
          ? [pastel(), pastel()]
          : `hsl(${rng.int(0, 359)}, 20%, ${rng.int(8, 20)}%)`;
  const dark = style === 3;
  const product = rng.chance(0.9)
    ? rng.chance(0.5)
      ? deviceProduct(
          width,
          height,
          `hsl(${rng.int(0, 359)}, 30%, ${rng.int(20, 45)}%)`,
          `hsl(${rng.int(0, 359)}, 40%, ${rng.int(55, 80)}%)`,
        )
      : `<ellipse cx="${width / 2}" cy="${height / 2}" rx="${(width * rng.int(15, 30)) / 100}" ry="${(height * rng.int(15, 30)) / 100}" fill="hsl(${rng.int(0, 359)}, 45%, ${rng.int(30, 60)}%)"/>`
    : '';
  const lines: GeneratedLine[] = [];
  const drawn: TextLine[] = [];
  if (rng.chance(0.7)) {
    const count = rng.int(1, 3);
    const rows = rng.sample([0, 1, 2, 3, 4, 5, 6, 7], count).sort((a, b) => a - b);
    for (const row of rows) {
      const kind: LineKind = rng.chance(0.5)
        ? rng.pick(CONTACT_KINDS)
        : rng.pick(['zh', 'en', 'decoy'] as const);
      const text = lineText(rng, kind);
      const watermark = rng.chance(0.2);
      const banner = !watermark && rng.chance(0.2);
      const scale = width / 900;
      let size = Math.round((watermark ? rng.int(40, 80) : rng.int(18, 56)) * scale);
      const estWidth = (s: number) =>
        [...text].reduce((w, ch) => w + (/[\u3000-\u9fff]/.test(ch) ? s : s * 0.6), 0);
      while (estWidth(size) > width * 0.9 && size > 14) size -= 2;
      const y = Math.round(((row + 0.75) * height) / 8.2);
      const maxX = Math.max(10, width - estWidth(size) - 10);
      const line: TextLine = {
        text,
        x: watermark ? width / 2 : rng.int(10, Math.round(maxX)),
        y: watermark ? Math.round((height * rng.int(35, 65)) / 100) : y,
        size,
        font: rng.pick(FONTS),
        weight: rng.chance(0.3) ? 'bold' : 'normal',
        anchor: watermark ? 'middle' : 'start',
        color: banner
          ? '#ffffff'
          : watermark
            ? dark
              ? '#ffffff'
              : '#808080'
            : dark
              ? `hsl(${rng.int(0, 359)}, 30%, 90%)`
              : `hsl(${rng.int(0, 359)}, 40%, ${rng.int(5, 35)}%)`,
        opacity: watermark ? rng.int(25, 50) / 100 : 1,
        rotate: watermark && rng.chance(0.6) ? rng.int(-30, 30) : 0,
        band: banner ? rng.pick(['#c1121f', '#1d3557', '#111111', '#e76f51']) : undefined,
      };
      if (watermark) {
        // One watermark per photo, across the middle.
        if (drawn.some((d) => d.anchor === 'middle')) continue;
      }
      drawn.push(line);
      lines.push({ text, kind });
    }
  }
  return { scene: { width, height, background, product, lines: drawn }, lines };
}

function intersection(a: Box, b: Box): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}
interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}
/** Intersection over the smaller area: a detection whose margin is wider than the ink still matches. */
const ioMin = (a: Box, b: Box) => intersection(a, b) / Math.min(a.width * a.height, b.width * b.height);

function levenshtein(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    for (let j = 1; j <= y.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[y.length]!;
}
const squash = (s: string) => s.normalize('NFKC').replace(/\s+/g, '');

class Counts {
  tp = 0;
  fp = 0;
  fn = 0;
  get precision() {
    return this.tp + this.fp ? this.tp / (this.tp + this.fp) : 1;
  }
  get recall() {
    return this.tp + this.fn ? this.tp / (this.tp + this.fn) : 1;
  }
  toString() {
    return `precision ${this.precision.toFixed(3)}  recall ${this.recall.toFixed(3)}  (tp ${this.tp}, fp ${this.fp}, fn ${this.fn})`;
  }
}

function scoreKinds(
  expected: Set<ContactKind>,
  found: Set<ContactKind>,
  overall: Counts,
  perKind: Map<ContactKind, Counts>,
) {
  for (const kind of CONTACT_KINDS) {
    const c = perKind.get(kind)!;
    const e = expected.has(kind);
    const f = found.has(kind);
    const outcome = e && f ? 'tp' : f ? 'fp' : e ? 'fn' : null;
    if (outcome) {
      c[outcome]++;
      overall[outcome]++;
    }
  }
}

async function main(): Promise<void> {
  const runner = await createPhotoModelRunner({ modelDir });
  const rng = createRandom(SEED);
  const lineDetection = new Counts();
  const imageHasText = new Counts();
  const contactsEndToEnd = new Counts();
  const contactsOnTruth = new Counts();
  const perKind = new Map(CONTACT_KINDS.map((k) => [k, new Counts()] as const));
  const perKindTruth = new Map(CONTACT_KINDS.map((k) => [k, new Counts()] as const));
  let exactLines = 0;
  let matchedLines = 0;
  let editDistance = 0;
  let truthChars = 0;
  let nsfwMax = 0;
  let nsfwOver = 0;
  let totalLines = 0;
  let withContacts = 0;

  console.log(`eval:vision — ${IMAGES} generated photos, seed ${SEED}`);
  const bar = new cliProgress.SingleBar(
    { format: '  analysing [{bar}] {value}/{total} photos  {eta}s left' },
    cliProgress.Presets.shades_classic,
  );
  bar.start(IMAGES, 0);
  for (let i = 0; i < IMAGES; i++) {
    const sample = generateSample(rng);
    const { png, truth } = await renderScene(sample.scene);
    const image = await runner.decode(png);
    const { boxes, contacts } = await runner.readText(image);
    const nsfw = await runner.scoreNsfw(image);
    nsfwMax = Math.max(nsfwMax, nsfw);
    if (nsfw >= 0.5) nsfwOver++;

    // Text lines: a truth line is found when a detection overlaps it (IoMin ≥ 0.5); a detection is right when
    // it overlaps some truth line.
    const inImage = truth.filter((t: LineTruth) => t.width > 0 && t.height > 0);
    totalLines += inImage.length;
    for (const t of inImage) {
      const hits = boxes.filter((b) => ioMin(t, b) >= 0.5);
      if (hits.length) {
        lineDetection.tp++;
        matchedLines++;
        const read = squash(
          hits
            .sort((a, b) => a.x - b.x)
            .map((b) => b.text)
            .join(''),
        );
        const want = squash(t.text);
        if (read === want) exactLines++;
        editDistance += levenshtein(read, want);
        truthChars += [...want].length;
      } else lineDetection.fn++;
    }
    for (const b of boxes) if (!inImage.some((t) => ioMin(t, b) >= 0.5)) lineDetection.fp++;
    if (process.env.EVAL_VISION_DUMP && boxes.some((b) => !inImage.some((t) => ioMin(t, b) >= 0.5))) {
      const file = `${process.env.EVAL_VISION_DUMP}/fp-${i}.png`;
      await writeFile(file, png);
      console.log(
        `\n${file}`,
        JSON.stringify(boxes.map((b) => [b.x, b.y, b.width, b.height, b.score.toFixed(2), b.text])),
        JSON.stringify(inImage),
      );
    }
    const hasText = inImage.length > 0;
    if (hasText && boxes.length) imageHasText.tp++;
    else if (boxes.length) imageHasText.fp++;
    else if (hasText) imageHasText.fn++;

    const visible = new Set(inImage.map((t) => t.text));
    const expected = new Set(
      sample.lines
        .filter((l) => visible.has(l.text) && CONTACT_KINDS.includes(l.kind as ContactKind))
        .map((l) => l.kind as ContactKind),
    );
    if (expected.size) withContacts++;
    const found = new Set(contacts.map((c) => c.kind));
    scoreKinds(expected, found, contactsEndToEnd, perKind);
    if (process.env.EVAL_VISION_DUMP && [...expected].sort().join() !== [...found].sort().join()) {
      console.log(
        `\ncontacts differ in photo ${i}: want ${[...expected]} got ${JSON.stringify(contacts)}; read ${JSON.stringify(boxes.map((b) => b.text))}; truth ${JSON.stringify(sample.lines)}`,
      );
    }
    const onTruth = new Set(inImage.flatMap((t) => findContacts(t.text).map((c) => c.kind)));
    scoreKinds(expected, onTruth, contactsOnTruth, perKindTruth);
    bar.increment();
  }
  bar.stop();

  console.log(`\n${IMAGES} photos, ${totalLines} text lines, ${withContacts} photos with contact details\n`);
  console.log(`text detection, per line (IoMin ≥ 0.5):      ${lineDetection}`);
  console.log(`text detection, per photo (has text or not): ${imageHasText}`);
  console.log(
    `recognition on found lines: ${((100 * exactLines) / Math.max(1, matchedLines)).toFixed(1)}% read exactly, character error rate ${((100 * editDistance) / Math.max(1, truthChars)).toFixed(1)}%`,
  );
  console.log(`contacts end to end (photo × kind):          ${contactsEndToEnd}`);
  for (const [kind, c] of perKind) console.log(`    ${kind.padEnd(7)} ${c}`);
  console.log(`contacts on the true text (regexes only):    ${contactsOnTruth}`);
  for (const [kind, c] of perKindTruth) console.log(`    ${kind.padEnd(7)} ${c}`);
  console.log(
    `unsafe model on the generated (all benign) photos: max score ${nsfwMax.toFixed(4)}, ${nsfwOver} ≥ 0.5`,
  );

  // The real photographs: all benign; only the coffee has a catalog category (coffee). Every other pairing of a
  // photo with a covered category is a wrong category, so a "matches" there is a false fit.
  console.log('\nreal photographs (scikit-image samples):');
  const covered = Object.entries(CATEGORY_CLASSES)
    .filter(([, v]) => v)
    .map(([slug]) => slug);
  let falseFits = 0;
  let wrongPairs = 0;
  for (const [name, asset] of Object.entries(SAMPLE_PHOTOS)) {
    const image = await runner.decode(await readFile(assetPath(modelDir, asset)));
    const nsfw = await runner.scoreNsfw(image);
    const fits: string[] = [];
    for (const slug of covered) {
      const verdict = await runner.classify(image, [slug]);
      const right = name === 'coffee' && slug === 'coffee';
      if (!right) {
        wrongPairs++;
        if (verdict.matches) {
          falseFits++;
          fits.push(slug);
        }
      }
    }
    const top = (await runner.classify(image, undefined)).topLabels.slice(0, 3);
    const asCoffee =
      name === 'coffee' ? ` | as coffee: ${(await runner.classify(image, ['coffee'])).matches}` : '';
    console.log(
      `  ${name.padEnd(10)} nsfw ${nsfw.toFixed(4)}  top ${top.map((t) => `${t.label} ${t.score.toFixed(2)}`).join(', ')}${asCoffee}  | fits wrong categories: ${fits.join(', ') || 'none'}`,
    );
  }
  console.log(
    `  category false-fit rate: ${falseFits}/${wrongPairs} (photo, wrong covered category) pairs; ${covered.length} of ${Object.keys(CATEGORY_CLASSES).length} leaf categories covered`,
  );
  console.log(
    '  (no labelled unsafe photographs ship in any registry package we may use, so unsafe-image recall is not measured)',
  );
  await runner.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
