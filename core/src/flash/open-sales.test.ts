import { describe, expect, it } from 'vitest';
import type { FlashSaleDoc } from './model';
import { OpenSalesCache, type OpenSale } from './open-sales';

const sale = (id: string, productId: string): OpenSale => ({
  doc: { _id: id, productId } as FlashSaleDoc,
  remaining: 5,
});

/** A loader counting its reads, answering what `store` holds when the read finishes. */
function store(initial: OpenSale[]) {
  const state = { sales: initial, reads: 0, gate: null as Promise<void> | null };
  // Like a scan: it sees the sales as they were when it began, and a gate can hold it back.
  const load = async () => {
    state.reads++;
    const seen = state.sales.map((s) => ({ ...s }));
    const gate = state.gate;
    if (gate) await gate;
    return seen;
  };
  return { state, load };
}

describe('OpenSalesCache', () => {
  it('answers page views from one read within its time limit, by product, and reads again after it', async () => {
    const { state, load } = store([sale('f1', 'p1'), sale('f2', 'p2'), sale('f3', 'p1')]);
    const cache = new OpenSalesCache(5_000, load);
    const views = await Promise.all([cache.read(0), cache.read(10), cache.read(20)]);
    expect(state.reads).toBe(1);
    expect(views[2]!.byProduct.get('p1')?.map((s) => s.doc._id)).toEqual(['f1', 'f3']);
    expect(views[2]!.byProduct.get('p9')).toBeUndefined();
    for (let at = 0; at < 5_000; at += 500) await cache.read(at);
    expect(state.reads).toBe(1);
    await cache.read(5_000);
    expect(state.reads).toBe(2);
    // A clock that went back does not keep the copy forever.
    await cache.read(1_000);
    expect(state.reads).toBe(3);
  });

  it('a created or closed sale (forget) is read at once, and a read begun before it does not store the old list', async () => {
    const { state, load } = store([sale('f1', 'p1')]);
    const cache = new OpenSalesCache(60_000, load);
    expect((await cache.read(0)).sales).toHaveLength(1);

    let open!: () => void;
    state.gate = new Promise((resolve) => (open = resolve));
    cache.forget();
    const before = cache.read(1);
    // The sale closes while that read is held up: the reads after it must not take its answer, even
    // when it finishes last.
    state.gate = null;
    state.sales = [];
    cache.forget();
    expect((await cache.read(2)).sales).toHaveLength(0);
    open();
    expect((await before).sales).toHaveLength(1);
    expect((await cache.read(3)).sales).toHaveLength(0);
    expect(state.reads).toBe(3);
  });

  it('keeps the units left current between reads (a sell-out, units back from lapsed claims)', async () => {
    const { state, load } = store([sale('f1', 'p1')]);
    const cache = new OpenSalesCache(60_000, load);
    await cache.read(0);
    cache.setRemaining('f1', 0);
    expect((await cache.read(1)).byProduct.get('p1')?.[0]?.remaining).toBe(0);
    cache.setRemaining('f1', 3);
    cache.setRemaining('unknown', 1);
    expect((await cache.read(2)).sales.map((s) => s.remaining)).toEqual([3]);
    expect(state.reads).toBe(1);
  });
});
