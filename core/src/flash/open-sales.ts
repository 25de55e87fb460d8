import type { FlashSaleDoc } from './model';

/** An open sale as the storefront shows it: its record and the units still to win as last told. */
export interface OpenSale {
  doc: FlashSaleDoc;
  remaining: number;
}

/** One read of the open sales: by id, by product, and when it stops being answered. */
export interface OpenSalesSnapshot {
  sales: OpenSale[];
  byProduct: Map<string, OpenSale[]>;
}

/**
 * The open (live or upcoming) flash sales kept in memory for a few seconds, so a product page, a page of
 * cards or the sale list costs no scan of the sales collection (any filter but `_id` scans on FerretDB).
 * Correctness does not rest on the time limit: a sale created or closed drops the copy — on this process
 * before the request answers, on the others when the `flash.changed` event arrives (the pattern of
 * `auth/session-cache.ts`). `flash.remaining` events keep the units left current in between, so a sale that
 * sells out stops showing its price on cards. The time limit only bounds what a lost event could leave.
 */
export class OpenSalesCache {
  #snapshot: (OpenSalesSnapshot & { until: number; at: number }) | null = null;
  #loading: Promise<OpenSalesSnapshot> | null = null;
  /** Bumped by `forget`: a read that started before it must not store what it found. */
  #generation = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly loadOpen: () => Promise<OpenSale[]>,
  ) {}

  /** The open sales, from memory while the copy is young; concurrent misses share one read. */
  read(nowMs: number): Promise<OpenSalesSnapshot> {
    const snapshot = this.#snapshot;
    // A clock that went back (a test clock reset, a corrected host clock) cannot keep a copy forever.
    if (snapshot && snapshot.until > nowMs && snapshot.at <= nowMs) return Promise.resolve(snapshot);
    if (this.#loading) return this.#loading;
    const generation = this.#generation;
    const loading = this.loadOpen().then((sales) => {
      const fresh = { ...index(sales), until: nowMs + this.ttlMs, at: nowMs };
      if (generation === this.#generation) this.#snapshot = fresh;
      return fresh;
    });
    this.#loading = loading;
    const done = () => {
      if (this.#loading === loading) this.#loading = null;
    };
    loading.then(done, done);
    return loading;
  }

  /** A sale was created or closed: the next read goes to the store. */
  forget(): void {
    this.#generation++;
    this.#snapshot = null;
    this.#loading = null;
  }

  /** A sale's units still to win changed (a claim, a lapse, a sell-out). */
  setRemaining(saleId: string, remaining: number): void {
    const sale = this.#snapshot?.sales.find((s) => s.doc._id === saleId);
    if (sale) sale.remaining = remaining;
  }
}

function index(sales: OpenSale[]): OpenSalesSnapshot {
  const byProduct = new Map<string, OpenSale[]>();
  for (const sale of sales) {
    const list = byProduct.get(sale.doc.productId);
    if (list) list.push(sale);
    else byProduct.set(sale.doc.productId, [sale]);
  }
  return { sales, byProduct };
}
