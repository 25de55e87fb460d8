import { HASH_FEED, type PhotoHashEntry } from './model';
import type { Ledger, LedgerEntry } from '../ledger';
import type { DuplicateMatch } from './types';

interface Indexed {
  /** Feed version that first added the photo: which of two look-alikes came first. */
  order: number;
  hi: number;
  lo: number;
  phash: string;
  productId: string;
  sellerId: string;
}

function popcount32(n: number): number {
  n = n - ((n >>> 1) & 0x55555555);
  n = (n & 0x33333333) + ((n >>> 2) & 0x33333333);
  return (((n + (n >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

const halves = (phash: string) => ({
  hi: parseInt(phash.slice(0, 8), 16) >>> 0,
  lo: parseInt(phash.slice(8, 16), 16) >>> 0,
});

/**
 * Every photo's perceptual hash in memory, for near-duplicate search across the whole catalog.
 *
 * FerretDB pushes down nothing but `_id` equality, so "hashes within 6 bits of this one" cannot be a
 * query. Instead every check appends its hash to one ledger stream (`photo_hashes`, `_id` = `phash:<n>`);
 * each process loads the stream once and then follows it by looking up `phash:<n+1>`, `phash:<n+2>`… —
 * `_id` lookups only — before each search, so hashes found by another worker process are seen too.
 * A search is a linear scan of 64-bit Hamming distances (two popcounts per photo): about a millisecond per
 * 100k photos; multi-index hashing would be the next step past a few million.
 */
export class PhotoHashIndex {
  private readonly byPhoto = new Map<string, Indexed>();
  private seen = 0;
  private loaded: Promise<void> | null = null;
  private syncing: Promise<void> | null = null;

  constructor(private readonly feed: Ledger<PhotoHashEntry>) {}

  get size(): number {
    return this.byPhoto.size;
  }

  private apply(entry: PhotoHashEntry): void {
    if (entry.version > this.seen) this.seen = entry.version;
    if (entry.phash === null) this.byPhoto.delete(entry.photoId);
    else
      this.byPhoto.set(entry.photoId, {
        order: this.byPhoto.get(entry.photoId)?.order ?? entry.version,
        ...halves(entry.phash),
        phash: entry.phash,
        productId: entry.productId,
        sellerId: entry.sellerId,
      });
  }

  /** Reads the feed once (a full read, at most once per process), then follows it. */
  async sync(): Promise<void> {
    this.loaded ??= (async () => {
      const all = await this.feed.collection.find({ feed: HASH_FEED } as never).toArray();
      (all as PhotoHashEntry[]).sort((a, b) => a.version - b.version).forEach((e) => this.apply(e));
    })().catch((err: unknown) => {
      this.loaded = null;
      throw err;
    });
    await this.loaded;
    // One follower at a time; callers arriving meanwhile wait for it and then look once more.
    while (this.syncing) await this.syncing;
    this.syncing = (async () => {
      for (;;) {
        const next = await this.feed.collection.findOne({ _id: `${HASH_FEED}:${this.seen + 1}` } as never);
        if (!next) break;
        this.apply(next as PhotoHashEntry);
      }
    })().finally(() => (this.syncing = null));
    await this.syncing;
  }

  /** Records a photo's hash (a no-op when the feed already says the same). */
  async record(photo: { photoId: string; productId: string; sellerId: string; phash: string }) {
    await this.sync();
    if (this.byPhoto.get(photo.photoId)?.phash === photo.phash) return;
    await this.append({ ...photo });
  }

  async remove(photoId: string): Promise<void> {
    await this.sync();
    const known = this.byPhoto.get(photoId);
    if (!known) return;
    await this.append({ photoId, productId: known.productId, sellerId: known.sellerId, phash: null });
  }

  private async append(fields: Omit<PhotoHashEntry, keyof LedgerEntry | 'feed'>) {
    const result = await this.feed.append(HASH_FEED, () => ({ feed: HASH_FEED, ...fields }));
    if (result.status === 'appended') {
      // Entries before ours may be unseen yet; read them in order instead of skipping past them.
      await this.sync();
    }
  }

  /**
   * Photos recorded before `photoId` whose hash is within `maxDistance` bits of its own, nearest first.
   * Only earlier ones: the first upload of a picture is the original, so re-checking it later must not
   * flag it for a copy made since. Call `record` first: of two look-alikes checked at the same moment, the
   * later one then always sees the earlier.
   */
  async nearest(photoId: string, maxDistance: number): Promise<DuplicateMatch[]> {
    await this.sync();
    const self = this.byPhoto.get(photoId);
    if (!self) return [];
    const { hi, lo, order } = self;
    const found: DuplicateMatch[] = [];
    for (const [otherId, entry] of this.byPhoto) {
      if (entry.order >= order) continue;
      const distance = popcount32((entry.hi ^ hi) >>> 0) + popcount32((entry.lo ^ lo) >>> 0);
      if (distance <= maxDistance)
        found.push({ photoId: otherId, productId: entry.productId, sellerId: entry.sellerId, distance });
    }
    return found.sort((a, b) => a.distance - b.distance || a.photoId.localeCompare(b.photoId));
  }
}
