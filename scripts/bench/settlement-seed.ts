/**
 * The preparation of `bench:settlement` (not measured): N completed orders written by bulk inserts, each
 * a copy of one template order that went through the real services (created with its commission lines,
 * paid through a captured payment, accepted, shipped and delivered), so every document has exactly the
 * fields the services write. Only what differs per order is set on each copy: ids, seller, buyer, price,
 * totals, commission lines (computed by the commission service for the copy's price) and the payment
 * amount. Each copy's stream ends with the completion the buyer's confirmation appends; the measured
 * phase then runs what that completion sets off for the seller (`settlement.settleOrder`), as the
 * fulfilment effect and the settlement catch-up job do.
 *
 * Copied per order: the order document (`orders`), its stream (`order_events`, its head in
 * `order_heads`, the `created` claim in `order_events_refs`) and its payment (`payments`). Not copied:
 * the sandbox provider's session and the template's pickup delivery (logistics), which no money phase
 * reads. The template itself stays as one delivered order outside every phase.
 */
import type { Connection } from 'mongoose';
import type { CoreServices } from '@market/core';

const TEMPLATE = 'bench_tpl';
const BATCH = 1_000;

type Doc = Record<string, unknown> & { _id: string };

export interface SeedPlan {
  orders: number;
  sellers: number;
  /** Fen of order i's single line (before 8 ¥ shipping). */
  priceOf: (i: number) => number;
  sellerOf: (i: number) => string;
  orderIdOf: (i: number) => string;
}

/** Takes one order through the real services up to delivered; returns its documents. */
async function templateOrder(core: CoreServices, connection: Connection, clock: () => Date) {
  const sellerId = 'bench_tpl_seller';
  const system = { id: null, role: 'system' as const };
  const lines = [
    {
      sku: 'SKU_TPL',
      productId: 'p_tpl',
      name: 'Item',
      nameZh: '商品',
      variantTitle: '',
      image: null,
      unitPrice: 1_000,
      qty: 1,
      lineTotal: 1_000,
    },
  ];
  const totals = { items: 1_000, shipping: 800, discount: 0, points: 0, total: 1_800 };
  await core.orders.createOrders([
    {
      _id: TEMPLATE,
      number: 'BENCH-TPL',
      checkoutId: `ck_${TEMPLATE}`,
      buyerId: 'bench_tpl_buyer',
      sellerId,
      shopId: `shop_${sellerId}`,
      shopName: 'Bench shop',
      lines,
      delivery: { method: 'pickup', address: null, pickupPoint: { id: 'pp', name: 'pp', address: 'pp' } },
      totals,
      coupon: null,
      commission: await core.commission.linesFor({ shopId: `shop_${sellerId}`, lines, sellerDiscount: 0 }),
      paymentId: `pay_${TEMPLATE}`,
      expiresAt: new Date(clock().getTime() + 3_600_000),
    },
  ]);
  const payment = await core.payments.open({
    paymentId: `pay_${TEMPLATE}`,
    checkoutId: `ck_${TEMPLATE}`,
    buyerId: 'bench_tpl_buyer',
    orderIds: [TEMPLATE],
    amount: totals.total,
    description: 'bench',
    returnUrl: '/',
  });
  await core.payments.setStatus(payment, { status: 'succeeded' });
  await core.orders.transition(TEMPLATE, 'paid', system);
  // Accepting a pickup order ships it (logistics readies it at the point); the seller delivers it.
  for (const to of ['accepted', 'shipped', 'delivered'] as const)
    await core.orders.transition(TEMPLATE, to, { id: sellerId, role: 'seller' });
  const events = (await core.orders.eventsOf(TEMPLATE)) as unknown as Doc[];
  const last = events.at(-1)!;
  if (last.status !== 'delivered') throw new Error(`the template order is ${String(last.status)}`);
  const col = (name: string) => connection.collection<Doc>(name);
  const tpl = {
    order: (await col('orders').findOne({ _id: TEMPLATE }))!,
    events,
    ref: (await col('order_events_refs').findOne({ _id: `${TEMPLATE}|created` }))!,
    payment: (await col('payments').findOne({ _id: `pay_${TEMPLATE}` }))!,
  };
  // The template stays, delivered and never completed, so no phase counts it (deleting it would race
  // the logistics handlers still following its pickup delivery).
  return { ...tpl, sellerId, buyerId: 'bench_tpl_buyer' };
}

/**
 * Writes `plan.orders` completed orders in batches; returns how long it took and how many documents.
 * The completions are stamped `completedAt` (one market day), as the buyers' confirmations would be.
 */
export async function seedCompletedOrders(
  core: CoreServices,
  connection: Connection,
  clock: () => Date,
  plan: SeedPlan,
  progress: (done: number) => void = () => undefined,
): Promise<{ documents: number }> {
  const tpl = await templateOrder(core, connection, clock);
  const commissionByPrice = new Map<number, unknown>();
  const commissionOf = async (price: number, shopId: string, lines: Doc['lines']) => {
    // The global 5 % rule resolves the same for every bench product: one lookup per distinct price.
    if (!commissionByPrice.has(price))
      commissionByPrice.set(
        price,
        await core.commission.linesFor({ shopId, lines: lines as never, sellerDiscount: 0 }),
      );
    return commissionByPrice.get(price);
  };
  const swapActor = (id: unknown, sellerId: string, buyerId: string) =>
    id === tpl.sellerId ? sellerId : id === tpl.buyerId ? buyerId : id;

  let documents = 0;
  for (let start = 0; start < plan.orders; start += BATCH) {
    const orders: Doc[] = [];
    const events: Doc[] = [];
    const heads: Doc[] = [];
    const refs: Doc[] = [];
    const payments: Doc[] = [];
    const at = clock();
    for (let i = start; i < Math.min(plan.orders, start + BATCH); i++) {
      const id = plan.orderIdOf(i);
      const sellerId = plan.sellerOf(i);
      const buyerId = `bench_buyer_${i % 5000}`;
      const price = plan.priceOf(i);
      const lines = (tpl.order.lines as Doc[]).map((l) => ({
        ...l,
        sku: `SKU${i}`,
        productId: `p_${i % 997}`,
        unitPrice: price,
        lineTotal: price,
      }));
      const totals = { ...(tpl.order.totals as Doc), items: price, total: price + 800 };
      const paymentId = `pay_${id}`;
      const stream: Doc[] = tpl.events.map((e) => ({
        ...e,
        _id: `${id}:${e.version as number}`,
        orderId: id,
        amount: e.event === 'created' ? totals.total : e.amount,
        actorId: swapActor(e.actorId, sellerId, buyerId),
        at,
      }));
      const delivered = stream.at(-1)!;
      const completed = {
        ...delivered,
        _id: `${id}:${(delivered.version as number) + 1}`,
        version: (delivered.version as number) + 1,
        status: 'completed',
        actorId: buyerId,
        actorRole: 'buyer',
        note: '',
        tracking: null,
        ref: null,
      };
      stream.push(completed);
      orders.push({
        ...tpl.order,
        _id: id,
        number: `BENCH-${i}`,
        checkoutId: `ck_${id}`,
        buyerId,
        sellerId,
        shopId: `shop_${sellerId}`,
        lines,
        totals,
        commission: await commissionOf(price, `shop_${sellerId}`, lines),
        paymentId,
        status: 'completed',
        statusVersion: completed.version,
        createdAt: at,
        updatedAt: at,
      });
      events.push(...stream);
      const { _id: _headId, ...headFields } = completed;
      heads.push({ ...headFields, _id: id });
      refs.push({ ...tpl.ref, _id: `${id}|created`, at });
      payments.push({
        ...tpl.payment,
        _id: paymentId,
        checkoutId: `ck_${id}`,
        buyerId,
        orderIds: [id],
        amount: totals.total,
        providerRef: `${String(tpl.payment.providerRef)}_${i}`,
        createdAt: at,
        updatedAt: at,
      });
    }
    // The stream before the document, as `createOrders` does; the payment last, as the webhook does.
    for (const [name, docs] of [
      ['order_events', events],
      ['order_heads', heads],
      ['order_events_refs', refs],
      ['orders', orders],
      ['payments', payments],
    ] as const) {
      await connection.collection<Doc>(name).insertMany(docs, { ordered: false });
      documents += docs.length;
    }
    progress(Math.min(plan.orders, start + BATCH));
  }
  return { documents };
}
