/**
 * The first half of `npm run bench:vision`: the sharp half of a photo check, stage by stage — decode (pixel-limited,
 * EXIF-rotated, metadata stripped), variants (3 sizes × AVIF, WebP, JPEG), quality metrics, perceptual hash
 * — on 1000×1000 and 3000×3000 JPEGs: per-photo latency p50/p99 of each stage, and photos per second
 * with two photos in flight (the machine has two cores). The models' stages are measured by
 * `npm run bench:vision`. Options: `--photos N` per size (default 24 and 8).
 */
import os from 'node:os';
import sharp from 'sharp';
import { decodeImage, measureQuality, perceptualHash, renderVariants } from '@market/vision';
import { productSvg } from '@market/vision/synthetic';

const STAGES = ['decode', 'variants', 'metrics', 'hash'] as const;
type Stage = (typeof STAGES)[number];
const MAX_PIXELS = 40_000_000;
const CONCURRENCY = 2;

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : undefined;
};

/** A product photo with camera-like grain, so it compresses and decodes like a photograph, not a flat drawing. */
async function samplePhoto(size: number, seed: number): Promise<Buffer> {
  const drawing = await sharp(Buffer.from(productSvg(size, { background: seed % 2 ? '#ffffff' : '#f8fafc' })))
    .removeAlpha()
    .toBuffer();
  const grain = await sharp({
    create: {
      width: size,
      height: size,
      channels: 3,
      background: '#808080',
      noise: { type: 'gaussian', mean: 128, sigma: 18 },
    },
  })
    .png()
    .toBuffer();
  return sharp(drawing)
    .composite([{ input: grain, blend: 'soft-light' }])
    .jpeg({ quality: 90 })
    .toBuffer();
}

async function checkOne(content: Buffer): Promise<Record<Stage, number>> {
  const times = {} as Record<Stage, number>;
  const time = async <T>(stage: Stage, run: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    const result = await run();
    times[stage] = performance.now() - started;
    return result;
  };
  const decoded = await time('decode', () => decodeImage(content, MAX_PIXELS));
  if (!decoded.ok) throw new Error(decoded.message);
  await time('variants', () => renderVariants(decoded.image));
  await time('metrics', () => measureQuality(decoded.image));
  await time('hash', () => perceptualHash(decoded.image));
  return times;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
};

async function bench(size: number, count: number) {
  const inputs = await Promise.all(
    Array.from({ length: Math.min(count, 4) }, (_, i) => samplePhoto(size, i)),
  );
  await checkOne(inputs[0]!); // warm-up: libvips and the encoders load lazily
  const samples: Record<Stage, number>[] = [];
  const totals: number[] = [];
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) {
        const input = inputs[next++ % inputs.length]!;
        const t0 = performance.now();
        samples.push(await checkOne(input));
        totals.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const row = (label: string, values: number[]) =>
    `| ${size}×${size} | ${label.padEnd(8)} | ${percentile(values, 50).toFixed(0).padStart(6)} | ${percentile(values, 99).toFixed(0).padStart(6)} |`;
  const lines = STAGES.map((s) =>
    row(
      s,
      samples.map((x) => x[s]),
    ),
  );
  lines.push(row('total', totals));
  const kb = (inputs.reduce((a, b) => a + b.length, 0) / inputs.length / 1024).toFixed(0);
  return { lines, throughput: `| ${size}×${size} | ${count} | ${kb} KB | ${(count / seconds).toFixed(2)} |` };
}

console.log(
  `Photo pipeline (sharp ${sharp.versions.sharp}, libvips ${sharp.versions.vips}), ${os.cpus().length} cores, ` +
    `${CONCURRENCY} photos in flight, Node ${process.version}`,
);
const small = await bench(1000, arg('--photos') ?? 24);
const large = await bench(3000, arg('--photos') ?? 8);
console.log('\n| input | stage | p50 ms | p99 ms |\n| --- | --- | ---: | ---: |');
for (const line of [...small.lines, ...large.lines]) console.log(line);
console.log('\n| input | photos | JPEG size | photos/s |\n| --- | ---: | ---: | ---: |');
console.log(small.throughput);
console.log(large.throughput);
