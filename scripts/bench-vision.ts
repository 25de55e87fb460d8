/**
 * npm run bench:vision [-- --images 20]
 *
 * Per-photo latency p50/p99 of each model stage (decode to RGB, text detection, recognition, unsafe,
 * category) and of analyze() end to end, then photos/s through analyze() at concurrency 1 and 2, with peak
 * RSS; for 1000×1000 and 3000×3000 product photos carrying a banner, a corner URL and a watermark (so the
 * recogniser has lines to read). Needs `npm run setup:vision`. Figures go in docs/BENCHMARKS.md.
 */
import os from 'node:os';
import cliProgress from 'cli-progress';
import sharp from 'sharp';
import { createPhotoModelRunner, defaultModelDir, loadPhotoModels } from '@market/vision/models';
import { deviceProduct, renderScene } from '@market/vision/synthetic';

const argIndex = process.argv.indexOf('--images');
const IMAGES = argIndex >= 0 ? Number(process.argv[argIndex + 1]) : 20;
const SIZES = [1000, 3000];
const modelDir = process.env.VISION_MODEL_DIR ?? defaultModelDir();

let peakRss = 0;
const sampleRss = () => (peakRss = Math.max(peakRss, process.memoryUsage().rss));
const rssTimer = setInterval(sampleRss, 50);

async function photo(size: number, i: number): Promise<Buffer> {
  const base = 900;
  const { png } = await renderScene({
    width: base,
    height: base,
    background: i % 2 ? '#ffffff' : ['#f1f5f9', '#dbe4ee'],
    product: deviceProduct(base, base, `hsl(${(i * 47) % 360}, 30%, 30%)`),
    lines: [
      {
        text: `订购热线 139 ${1000 + i} 5678`,
        x: base / 2,
        y: base - 50,
        size: 48,
        anchor: 'middle',
        color: '#fff',
        band: '#c1121f',
      },
      { text: `www.shop${i}.com`, x: base - 20, y: 40, size: 24, anchor: 'end', color: '#333' },
      {
        text: '样品 SAMPLE',
        x: base / 2,
        y: base / 2,
        size: 80,
        anchor: 'middle',
        color: '#808080',
        opacity: 0.3,
        rotate: -20,
      },
    ],
  });
  // Drawn at 900 px and scaled, like a camera photo of the same scene at another resolution.
  return sharp(png).resize(size, size).jpeg({ quality: 90 }).toBuffer();
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};
const fmt = (values: number[]) =>
  `${percentile(values, 50).toFixed(0)} / ${percentile(values, 99).toFixed(0)}`;
const cpuFmt = (values: number[]) => percentile(values, 50).toFixed(0);

async function main(): Promise<void> {
  console.log(
    `bench:vision — ${IMAGES} photos per size, ${os.availableParallelism()} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`,
  );
  const rows: string[] = [];
  const throughput: string[] = [];
  for (const size of SIZES) {
    const photos: Buffer[] = [];
    for (let i = 0; i < IMAGES; i++) photos.push(await photo(size, i));
    const stageNames = ['decode', 'detect', 'recognise', 'unsafe', 'category', 'analyze'];
    const stages: Record<string, number[]> = Object.fromEntries(stageNames.map((n) => [n, []]));
    // CPU time of the process per stage (all threads): unlike wall time, barely moved by other load on the box.
    const cpu: Record<string, number[]> = Object.fromEntries(stageNames.map((n) => [n, []]));
    const runner = await createPhotoModelRunner({ modelDir, concurrency: 1 });
    const models = await loadPhotoModels({ modelDir, concurrency: 1 });
    // Warm-up: session creation and first-run allocations are not per-photo costs.
    await models.analyze(photos[0]!, { categoryPath: ['phones'] });
    const warm = await runner.decode(photos[0]!);
    await runner.analyzeDecoded(warm, {});

    const bar = new cliProgress.SingleBar(
      { format: `  ${size}×${size} stages [{bar}] {value}/{total}` },
      cliProgress.Presets.shades_classic,
    );
    bar.start(IMAGES, 0);
    let lines = 0;
    for (const buffer of photos) {
      let t = performance.now();
      let c = process.cpuUsage();
      const lap = (stage: string) => {
        const now = performance.now();
        const used = process.cpuUsage(c);
        stages[stage]!.push(now - t);
        cpu[stage]!.push((used.user + used.system) / 1000);
        t = now;
        c = process.cpuUsage();
        sampleRss();
      };
      const image = await runner.decode(buffer);
      lap('decode');
      const detected = await runner.detectText(image);
      lap('detect');
      lines += detected.boxes.length;
      await runner.recognizeText(image, detected.boxes);
      lap('recognise');
      await runner.scoreNsfw(image);
      lap('unsafe');
      await runner.classify(image, ['phones']);
      lap('category');
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      await models.analyze(buffer, { categoryPath: ['phones'] });
      stages.analyze!.push(performance.now() - t0);
      const used = process.cpuUsage(c0);
      cpu.analyze!.push((used.user + used.system) / 1000);
      bar.increment();
    }
    bar.stop();
    await runner.close();
    await models.close();
    rows.push(
      `| ${size}×${size} wall p50 / p99 | ${fmt(stages.decode!)} | ${fmt(stages.detect!)} | ${fmt(stages.recognise!)} | ${fmt(stages.unsafe!)} | ${fmt(stages.category!)} | ${fmt(stages.analyze!)} |`,
      `| ${size}×${size} CPU p50 | ${cpuFmt(cpu.decode!)} | ${cpuFmt(cpu.detect!)} | ${cpuFmt(cpu.recognise!)} (${(lines / IMAGES).toFixed(1)} lines) | ${cpuFmt(cpu.unsafe!)} | ${cpuFmt(cpu.category!)} | ${cpuFmt(cpu.analyze!)} |`,
    );

    for (const concurrency of [1, 2]) {
      const loaded = await loadPhotoModels({ modelDir, concurrency });
      await loaded.analyze(photos[0]!, {});
      const t0 = performance.now();
      await Promise.all(photos.map((p) => loaded.analyze(p, { categoryPath: ['phones'] })));
      const seconds = (performance.now() - t0) / 1000;
      await loaded.close();
      sampleRss();
      throughput.push(`| ${size}×${size} | ${concurrency} | ${(IMAGES / seconds).toFixed(2)} photos/s |`);
    }
  }
  clearInterval(rssTimer);
  console.log('\nper photo, ms (concurrency 1; CPU = process CPU time over both cores):');
  console.log('| input | decode | text detection | recognition | unsafe | category | analyze() end to end |');
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const row of rows) console.log(row);
  console.log('\nthroughput through analyze(), all photos submitted at once:');
  console.log('| input | concurrency | throughput |');
  console.log('| --- | --- | --- |');
  for (const row of throughput) console.log(row);
  console.log(`\npeak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
