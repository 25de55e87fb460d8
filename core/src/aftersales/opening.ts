import type { Actor } from '../catalog';
import type { Clock } from '../clock';
import { ForbiddenError, ValidationError } from '../errors';
import { splitProportionally } from '../money';
import type { Order, OrderService } from '../orders';
import type { EvidencePhotos } from './evidence';
import type { AfterSalesLineDoc, AfterSalesModels, RequestDoc, RequestSeed } from './model';
import { lineKeyOf, type RequestStream } from './requests';
import type { OpenInput } from './service';
import { AfterSalesConflictError, type AfterSalesRequest, type LineAllowance } from './types';

/** How old an unfinished open must be before another request finishes it (a crash, not a race). */
const OPENING_GRACE_MS = 30_000;

/**
 * Opening a request: what each line of an order still allows (its share of what was paid, less what
 * after-sales refunded on it), and the open itself — a claim on the line's stream (one open request per
 * line, never more than its share) carrying the request's seed, then the request written from the seed,
 * which a crash between the two leaves for the next open on the line to finish.
 */
export function createOpening(deps: {
  models: AfterSalesModels;
  orders: Pick<OrderService, 'getFor'>;
  evidence: EvidencePhotos;
  stream: Pick<RequestStream, 'settle' | 'view'>;
  config: { windowMs: number; sellerResponseMs: number };
  clock: Clock;
}) {
  const { Requests, events, lines } = deps.models;
  const { settle, view } = deps.stream;
  const now = deps.clock;

  /** Each line's share of what was paid (discounts, points and shipping spread by line totals). */
  function lineShares(order: Order): number[] {
    const shares = splitProportionally(
      order.totals.total,
      Object.fromEntries(order.lines.map((l, i) => [String(i).padStart(4, '0'), l.lineTotal])),
    );
    return order.lines.map((_, i) => shares[String(i).padStart(4, '0')] ?? 0);
  }

  function deliveredAt(order: Order): Date | null {
    const entry = order.timeline.findLast((e) => e.event === 'status' && e.status === 'delivered');
    return entry ? new Date(entry.at) : null;
  }

  function maxFor(order: Order, lineIndex: number, line: AfterSalesLineDoc | null): number {
    const share = lineShares(order)[lineIndex] ?? 0;
    return Math.max(0, Math.min(share - (line?.refunded ?? 0), order.totals.total - order.refunded));
  }

  /** Writes the request's first event, document and deadline from its seed (again after a crash). */
  async function materialize(seed: RequestSeed): Promise<RequestDoc> {
    const deadlineAt = new Date(seed.createdAt.getTime() + deps.config.sellerResponseMs);
    const opened = await events.appendOnce(seed._id, 'opened', (head) =>
      head
        ? 'unchanged'
        : {
            requestId: seed._id,
            event: 'opened',
            status: 'requested',
            actorId: seed.buyerId,
            actorRole: 'buyer',
            note: seed.description.slice(0, 500),
            deadlineAt,
            tracking: null,
            resellable: null,
            rejection: null,
            pickup: null,
            pickups: 0,
          },
    );
    const doc: RequestDoc = {
      ...seed,
      status: 'requested',
      statusVersion: 0,
      deadlineAt,
      queueAt: deadlineAt,
      updatedAt: seed.createdAt,
    };
    await Requests.updateOne({ _id: seed._id }, { $setOnInsert: doc }, { upsert: true }).catch(
      (err: unknown) => {
        if ((err as { code?: number }).code !== 11000) throw err;
      },
    );
    await deps.evidence.attach(seed.evidenceIds, seed.buyerId, seed._id, seed.sellerId);
    if (opened.status === 'appended' || opened.status === 'already' || opened.status === 'unchanged') {
      const first = opened.entry.version === 1 ? opened.entry : await events.latest(seed._id);
      if (first && first.version === 1) await settle(doc, first);
    }
    return doc;
  }

  /** The seed of a line whose open was cut short by a crash, finished now. */
  async function finishOpening(line: AfterSalesLineDoc | null): Promise<void> {
    // Only a seed its opener has had time to finish: a fresh one is most likely being written right now.
    if (
      line?.seed &&
      line.openRequestId === line.seed._id &&
      now().getTime() - line.at.getTime() > OPENING_GRACE_MS &&
      !(await Requests.exists({ _id: line.seed._id }))
    )
      await materialize(line.seed);
  }

  async function allowances(order: Order): Promise<LineAllowance[]> {
    const heads = await Promise.all(order.lines.map((_, i) => lines.latest(lineKeyOf(order.id, i))));
    const delivered = deliveredAt(order);
    return order.lines.map((line, i) => ({
      lineIndex: i,
      sku: line.sku,
      maxAmount: maxFor(order, i, heads[i] ?? null),
      qty: line.qty,
      windowClosesAt: delivered ? new Date(delivered.getTime() + deps.config.windowMs) : null,
      openRequestId: heads[i]?.openRequestId ?? null,
    }));
  }

  return {
    lineShares,

    /** An order's lines as after-sales sees them (for the order page's "Request a return/refund"). */
    async forOrder(actor: Actor, orderId: string) {
      const { order } = await deps.orders.getFor(actor, orderId);
      const docs = await Requests.find({ orderId }).sort({ createdAt: 1 }).lean<RequestDoc[]>();
      return {
        lines: await allowances(order),
        requests: docs.map((d) => ({
          id: d._id,
          lineIndex: d.lineIndex,
          type: d.type,
          status: d.status,
          amount: d.amount,
          createdAt: d.createdAt,
        })),
      };
    },

    /** The buyer opens a request on a delivered line within the window. */
    async open(actor: Actor, orderId: string, input: OpenInput): Promise<AfterSalesRequest> {
      const { order, role } = await deps.orders.getFor(actor, orderId);
      if (role !== 'buyer')
        throw new ForbiddenError('Only the buyer of an order can ask for a return or refund');
      const line = order.lines[input.lineIndex];
      if (!line)
        throw new ValidationError([{ field: 'body.lineIndex', message: 'no such line in this order' }]);
      const delivered = deliveredAt(order);
      if (!delivered || !['delivered', 'completed'].includes(order.status))
        throw new AfterSalesConflictError(
          'aftersales_not_delivered',
          order.status === 'refunded'
            ? 'This order has been refunded in full'
            : 'A return or refund can be requested once the order is delivered',
          { status: order.status },
        );
      const closesAt = new Date(delivered.getTime() + deps.config.windowMs);
      if (now().getTime() > closesAt.getTime())
        throw new AfterSalesConflictError(
          'aftersales_window_closed',
          `The after-sales window for this order closed on ${closesAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
          { closedAt: closesAt.toISOString() },
        );
      const qty = input.type === 'return' ? (input.qty ?? line.qty) : 0;
      if (input.type === 'return' && (qty < 1 || qty > line.qty))
        throw new ValidationError([{ field: 'body.qty', message: `from 1 to ${line.qty} units` }]);
      await deps.evidence.checkOwned(input.evidenceIds, actor.id);

      const key = lineKeyOf(orderId, input.lineIndex);
      await finishOpening(await lines.latest(key));
      let refusal: { openId: string } | { max: number } = { max: 0 };
      const createdAt = now();
      const claim = await lines.append(key, (head) => {
        if (head?.openRequestId) {
          refusal = { openId: head.openRequestId };
          return null;
        }
        const max = maxFor(order, input.lineIndex, head);
        if (input.amount > max) {
          refusal = { max };
          return null;
        }
        const opened = (head?.opened ?? 0) + 1;
        const seed: RequestSeed = {
          _id: `asr_${orderId}_${input.lineIndex}_${opened}`,
          orderId,
          orderNumber: order.number,
          lineIndex: input.lineIndex,
          sku: line.sku,
          productId: line.productId,
          itemName: line.name,
          image: line.image,
          buyerId: order.buyerId,
          sellerId: order.sellerId,
          shopName: order.shopName,
          type: input.type,
          reason: input.reason,
          description: input.description,
          amount: input.amount,
          qty,
          evidenceIds: input.evidenceIds,
          createdAt,
        };
        return { lineKey: key, openRequestId: seed._id, opened, refunded: head?.refunded ?? 0, seed };
      });
      if (claim.status !== 'appended' || !claim.entry.seed) {
        const r = refusal as { openId: string } | { max: number };
        if ('openId' in r)
          throw new AfterSalesConflictError(
            'aftersales_line_open',
            'This item already has an open after-sales request',
            { requestId: r.openId },
          );
        throw new ValidationError(
          [{ field: 'body.amount', message: `at most ${r.max} fen can be refunded for this item` }],
          'The amount is more than was paid for this item',
        );
      }
      const doc = await materialize(claim.entry.seed);
      return view(doc);
    },
  };
}
