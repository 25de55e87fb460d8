import type { Connection } from 'mongoose';
import type { Actor, CatalogService } from '../catalog';
import { type Clock, systemClock } from '../clock';
import {
  ConflictError,
  ForbiddenError,
  isDuplicateKeyError,
  NotFoundError,
  ValidationError,
} from '../errors';
import type { EventBus } from '../events';
import { newId } from '../ids';
import type { Logger } from '../logger';
import type { UserService } from '../users';
import { groupBuyingModels, type GroupDealDoc, type GroupDoc, type GroupSeatEntry } from './model';
import {
  MAX_GROUP_SIZE,
  MAX_TIME_LIMIT_MINUTES,
  MIN_GROUP_SIZE,
  MIN_TIME_LIMIT_MINUTES,
  type GroupDeal,
  type GroupDealInput,
  type GroupLine,
  type GroupProgress,
  type GroupSeat,
  type GroupStatus,
  type GroupView,
  type SeatAnswer,
} from './types';

/** Frequent job: groups past their deadline that did not fill are refunded (once), full ones completed. */
export const GROUP_BUYING_SWEEP_JOB = 'group_buying.sweep';

/**
 * What ends a member's order when their group expires: an unpaid one is cancelled (a late payment is then
 * refunded as for any expired order), a paid one is refunded in full through the payments service (the
 * order's `refunded` transition, as support's full refund). Each exactly once, however often it runs.
 */
export interface GroupMemberOrders {
  endForExpiredGroup(orderId: string, note: string): Promise<'cancelled' | 'refunded' | 'none'>;
}

export type LineAnswer =
  { status: 'ok'; line: GroupLine } | { status: 'none' | 'full' | 'already_member' | 'ended' };

const toDeal = ({ _id, ...rest }: GroupDealDoc): GroupDeal => ({ id: _id, ...rest });

const initialOf = (name: string) => (name.trim()[0] ?? '?').toUpperCase();

/**
 * Group buying (拼团). A seller offers a group price on one of their SKUs for groups of N. A buyer starts
 * a group by checking out one unit at the group price (the checkout flow takes a seat for them), shares
 * the group's link, and others join the same way. A seat is held from the start of its checkout and paid
 * with it; an unpaid checkout's expiry releases it. When N seats are paid the group is complete and its
 * orders may proceed (the seller accepts them); when the deadline passes first, the sweep refunds every
 * paid member and cancels the unpaid ones, once.
 */
export function createGroupBuyingService(deps: {
  connection: Connection;
  bus: EventBus;
  catalog: CatalogService;
  users: Pick<UserService, 'getUser'>;
  members: () => GroupMemberOrders;
  log: Logger;
  clock?: Clock;
}) {
  const { Deals, Groups, Outcomes, OpenGroups, seats } = groupBuyingModels(deps.connection, deps.clock);
  const clock = deps.clock ?? systemClock;

  async function outcomeOf(groupId: string): Promise<'complete' | 'expired' | null> {
    return (await Outcomes.findById(groupId).lean())?.outcome ?? null;
  }

  /** Claims the group's outcome; returns the one that won (ours or an earlier one). */
  async function settle(groupId: string, outcome: 'complete' | 'expired') {
    try {
      await Outcomes.create({ _id: groupId, outcome, at: clock() });
      return outcome;
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      return (await outcomeOf(groupId)) ?? outcome;
    }
  }

  function statusOf(outcome: 'complete' | 'expired' | null): GroupStatus {
    return outcome ?? 'forming';
  }

  function view(group: GroupDoc, head: GroupSeatEntry | null, outcome: GroupStatus): GroupView {
    const taken = head?.seats ?? [];
    return {
      id: group._id,
      dealId: group.dealId,
      sku: group.sku,
      productId: group.productId,
      sellerId: group.sellerId,
      groupPrice: group.groupPrice,
      normalPrice: group.normalPrice,
      groupSize: group.groupSize,
      leaderId: group.leaderId,
      createdAt: group.createdAt,
      deadline: group.deadline,
      status: outcome,
      members: [...taken]
        .sort((a, b) => a.seat - b.seat)
        .map(({ seat, initial, avatarUrl, paid, at }) => ({ seat, initial, avatarUrl, paid, at })),
      paid: taken.filter((s) => s.paid).length,
      seatsLeft: outcome === 'forming' ? Math.max(0, group.groupSize - taken.length) : 0,
    };
  }

  async function loadGroup(groupId: string): Promise<GroupDoc> {
    const group = await Groups.findById(groupId).lean<GroupDoc>();
    if (!group) throw new NotFoundError('Group');
    return group;
  }

  async function groupView(groupId: string): Promise<GroupView> {
    const group = await loadGroup(groupId);
    const [head, outcome] = await Promise.all([seats.latest(groupId), outcomeOf(groupId)]);
    return view(group, head, statusOf(outcome));
  }

  async function publishProgress(groupId: string): Promise<void> {
    try {
      const group = await loadGroup(groupId);
      const head = await seats.latest(groupId);
      const v = view(group, head, statusOf(await outcomeOf(groupId)));
      const progress: GroupProgress = {
        groupId,
        dealId: v.dealId,
        productId: v.productId,
        status: v.status,
        paid: v.paid,
        held: v.members.length - v.paid,
        seatsLeft: v.seatsLeft,
        groupSize: v.groupSize,
        deadline: v.deadline.toISOString(),
        members: v.members.map(({ seat, initial, avatarUrl, paid }) => ({ seat, initial, avatarUrl, paid })),
        version: head?.version ?? 0,
        at: clock().toISOString(),
      };
      await deps.bus.publish('group.progress', progress);
    } catch (err) {
      deps.log.warn({ err, groupId }, 'could not publish group progress');
    }
  }

  function validate(input: GroupDealInput, price: number, now: Date) {
    const issues: { field: string; message: string }[] = [];
    if (!Number.isInteger(input.groupPrice) || input.groupPrice < 1 || input.groupPrice >= price)
      issues.push({ field: 'body.groupPrice', message: `whole fen from 1 to below the price (${price})` });
    if (
      !Number.isInteger(input.groupSize) ||
      input.groupSize < MIN_GROUP_SIZE ||
      input.groupSize > MAX_GROUP_SIZE
    )
      issues.push({
        field: 'body.groupSize',
        message: `a whole number from ${MIN_GROUP_SIZE} to ${MAX_GROUP_SIZE}`,
      });
    const minutes = input.timeLimitMinutes;
    if (!Number.isInteger(minutes) || minutes < MIN_TIME_LIMIT_MINUTES || minutes > MAX_TIME_LIMIT_MINUTES)
      issues.push({
        field: 'body.timeLimitMinutes',
        message: `whole minutes from ${MIN_TIME_LIMIT_MINUTES} to ${MAX_TIME_LIMIT_MINUTES}`,
      });
    if (input.endsAt <= input.startsAt)
      issues.push({ field: 'body.endsAt', message: 'must be after startsAt' });
    else if (input.endsAt <= now) issues.push({ field: 'body.endsAt', message: 'must be in the future' });
    if (issues.length) throw new ValidationError(issues);
  }

  async function requireManaged(actor: Actor, id: string): Promise<GroupDealDoc> {
    const doc = await Deals.findById(id).lean<GroupDealDoc>();
    if (!doc) throw new NotFoundError('Group deal');
    if (!actor.roles.includes('admin') && doc.sellerId !== actor.id)
      throw new ForbiddenError('You can only manage group deals of your own products');
    return doc;
  }

  const dealIsLive = (deal: GroupDealDoc, now: Date) =>
    deal.status === 'open' && deal.startsAt <= now && deal.endsAt > now;

  /** Groups of a deal still taking members (deadline ahead, no outcome), oldest first. */
  async function formingGroups(dealId: string): Promise<GroupView[]> {
    const now = clock();
    // From the small set of groups not yet ended (not every group the deal ever had), oldest first.
    const open = await OpenGroups.find({ dealId }, { _id: 1 }).limit(200).lean<{ _id: string }[]>();
    const groups = open.length
      ? await Groups.find({ _id: { $in: open.map((g) => g._id) } })
          .sort({ createdAt: 1 })
          .lean<GroupDoc[]>()
      : [];
    const views = await Promise.all(
      groups
        .filter((g) => g.deadline > now)
        .map(async (g) => {
          const [head, outcome] = await Promise.all([seats.latest(g._id), outcomeOf(g._id)]);
          return view(g, head, statusOf(outcome));
        }),
    );
    // A group nobody has paid for yet is a checkout in progress, not something to invite people into.
    return views.filter((v) => v.status === 'forming' && v.seatsLeft > 0 && v.paid > 0);
  }

  /** Seat numbers 1..N not in `taken`, lowest first. */
  const freeSeat = (taken: GroupSeat[], size: number) => {
    const used = new Set(taken.map((s) => s.seat));
    for (let n = 1; n <= size; n++) if (!used.has(n)) return n;
    return null;
  };

  /** Removes the checkout's seat (its payment window passed, or its checkout was undone). Once. */
  async function releaseSeat(groupId: string, checkoutId: string): Promise<void> {
    // An ended group keeps its members as they were: its page shows who was in it.
    if (await outcomeOf(groupId)) return;
    const result = await seats.appendOnce(groupId, `release:${checkoutId}`, (head) => {
      const taken = head?.seats ?? [];
      if (!taken.some((s) => s.checkoutId === checkoutId)) return 'unchanged';
      return { groupId, seats: taken.filter((s) => s.checkoutId !== checkoutId) };
    });
    if (result.status === 'appended') await publishProgress(groupId);
  }

  /** All N seats paid: the group is complete (unless it expired first) and leaves the open set. */
  async function completeIfFull(group: GroupDoc): Promise<void> {
    const head = await seats.latest(group._id);
    const paid = (head?.seats ?? []).filter((s) => s.paid).length;
    if (paid < group.groupSize) return;
    const outcome = await settle(group._id, 'complete');
    if (outcome === 'complete') await OpenGroups.deleteOne({ _id: group._id });
  }

  /** Ends one group past its deadline: complete if full, else expired with every member's order ended. */
  async function endDue(groupId: string): Promise<'complete' | 'expired'> {
    const group = await loadGroup(groupId);
    const head = await seats.latest(groupId);
    const taken = head?.seats ?? [];
    const full = taken.filter((s) => s.paid).length >= group.groupSize;
    const outcome = await settle(groupId, full ? 'complete' : 'expired');
    if (outcome === 'expired') {
      // Outcome first, then the seats: a seat taken meanwhile sees the outcome and gives itself up,
      // or is in the head read here (takeSeat reads the outcome after appending).
      const latest = (await seats.latest(groupId))?.seats ?? [];
      for (const seat of latest)
        await deps.members().endForExpiredGroup(seat.orderId, 'The group did not fill in time');
    }
    await OpenGroups.deleteOne({ _id: groupId });
    await publishProgress(groupId);
    return outcome;
  }

  return {
    async createDeal(actor: Actor, input: GroupDealInput): Promise<GroupDeal> {
      const product = await deps.catalog.findBySku(input.sku);
      const variant = product?.variants.find((v) => v.sku === input.sku);
      if (!product || !variant)
        throw new ValidationError([{ field: 'body.sku', message: 'no product has this SKU' }]);
      if (!actor.roles.includes('admin') && product.sellerId !== actor.id)
        throw new ForbiddenError('You can only offer group deals on your own products');
      const now = clock();
      validate(input, variant.price, now);
      const doc: GroupDealDoc = {
        _id: newId('gdl'),
        sku: input.sku,
        productId: product.id,
        sellerId: product.sellerId,
        groupPrice: input.groupPrice,
        normalPrice: variant.price,
        groupSize: input.groupSize,
        timeLimitMs: input.timeLimitMinutes * 60_000,
        startsAt: input.startsAt,
        endsAt: input.endsAt,
        status: 'open',
        createdBy: actor.id,
        createdAt: now,
      };
      await Deals.create(doc);
      return toDeal(doc);
    },

    /** Deals with their product's name (read by id, once per product; '' for a deleted one). */
    async listManaged(
      actor: Actor,
    ): Promise<(GroupDeal & { forming: number; productName: string; productNameZh: string })[]> {
      const filter = actor.roles.includes('admin') ? {} : { sellerId: actor.id };
      const docs = await Deals.find(filter).sort({ createdAt: -1 }).limit(500).lean<GroupDealDoc[]>();
      const products = new Map(
        await Promise.all(
          [...new Set(docs.map((d) => d.productId))].map(
            async (id) => [id, await deps.catalog.getProduct(id)] as const,
          ),
        ),
      );
      return Promise.all(
        docs.map(async (d) => ({
          ...toDeal(d),
          productName: products.get(d.productId)?.name ?? '',
          productNameZh: products.get(d.productId)?.nameZh ?? '',
          forming: d.status === 'open' ? (await formingGroups(d._id)).length : 0,
        })),
      );
    },

    /**
     * Ends a deal: no new groups. Groups already forming keep their deadline (their members paid for a
     * chance to fill), and the sweep ends them as usual.
     */
    async endDeal(actor: Actor, id: string): Promise<GroupDeal> {
      const doc = await requireManaged(actor, id);
      if (doc.status === 'ended') throw new ConflictError('This group deal has already ended');
      await Deals.updateOne({ _id: id }, { $set: { status: 'ended' } });
      return toDeal({ ...doc, status: 'ended' });
    },

    /** The live deals of a product with the groups a shopper may join. */
    async forProduct(productId: string): Promise<(GroupDeal & { groups: GroupView[] })[]> {
      const now = clock();
      const docs = await Deals.find({ productId, status: 'open' }).lean<GroupDealDoc[]>();
      return Promise.all(
        docs
          .filter((d) => dealIsLive(d, now))
          .map(async (d) => ({ ...toDeal(d), groups: await formingGroups(d._id) })),
      );
    },

    getGroup: groupView,

    /** Whether the person holds (or paid) a seat in the group. */
    async isMember(groupId: string, userId: string): Promise<boolean> {
      return ((await seats.latest(groupId))?.seats ?? []).some((s) => s.userId === userId);
    },

    /**
     * What a group checkout buys: one unit at the group price, in a new group (`groupId` null: its id
     * is made here and the group is created when the checkout takes the first seat) or an existing one.
     * Changes nothing; the seat is taken by the checkout flow (`takeSeat`).
     */
    async lineFor(userId: string, input: { dealId: string; groupId?: string | null }): Promise<LineAnswer> {
      const deal = await Deals.findById(input.dealId).lean<GroupDealDoc>();
      if (!deal) return { status: 'none' };
      const now = clock();
      const line = (groupId: string): LineAnswer => ({
        status: 'ok',
        line: {
          dealId: deal._id,
          groupId,
          sku: deal.sku,
          productId: deal.productId,
          sellerId: deal.sellerId,
          groupPrice: deal.groupPrice,
        },
      });
      if (!input.groupId) return dealIsLive(deal, now) ? line(newId('grp')) : { status: 'ended' };
      const group = await Groups.findById(input.groupId).lean<GroupDoc>();
      if (!group || group.dealId !== deal._id) return { status: 'none' };
      if (group.deadline <= now || (await outcomeOf(group._id))) return { status: 'ended' };
      const taken = (await seats.latest(group._id))?.seats ?? [];
      if (taken.some((s) => s.userId === userId)) return { status: 'already_member' };
      if (taken.length >= group.groupSize) return { status: 'full' };
      return line(group._id);
    },

    /**
     * The checkout takes a seat (held until its payment arrives or its window passes). The group is
     * created by its first checkout. Exactly once per checkout: a resumed checkout finds its seat.
     */
    async takeSeat(input: {
      line: Pick<GroupLine, 'dealId' | 'groupId'>;
      userId: string;
      checkoutId: string;
      orderId: string;
    }): Promise<SeatAnswer> {
      const { groupId } = input.line;
      let group = await Groups.findById(groupId).lean<GroupDoc>();
      const now = clock();
      if (!group) {
        const deal = await Deals.findById(input.line.dealId).lean<GroupDealDoc>();
        if (!deal || !dealIsLive(deal, now)) return { status: 'ended' };
        const doc: GroupDoc = {
          _id: groupId,
          dealId: deal._id,
          sku: deal.sku,
          productId: deal.productId,
          sellerId: deal.sellerId,
          groupPrice: deal.groupPrice,
          normalPrice: deal.normalPrice,
          groupSize: deal.groupSize,
          leaderId: input.userId,
          createdAt: now,
          deadline: new Date(now.getTime() + deal.timeLimitMs),
        };
        // Open first: from here on the sweep ends the group at its deadline whatever happens next.
        await OpenGroups.updateOne(
          { _id: groupId },
          { $setOnInsert: { deadline: doc.deadline, dealId: doc.dealId } },
          { upsert: true },
        ).catch((err: unknown) => {
          if (!isDuplicateKeyError(err)) throw err;
        });
        await Groups.create(doc).catch((err: unknown) => {
          if (!isDuplicateKeyError(err)) throw err;
        });
        group = await loadGroup(groupId);
      }
      if (group.deadline <= now || (await outcomeOf(groupId))) return { status: 'ended' };
      const user = await deps.users.getUser(input.userId);
      let refusal: SeatAnswer | null = null;
      const result = await seats.appendOnce(groupId, `seat:${input.checkoutId}`, (head) => {
        const taken = head?.seats ?? [];
        const mine = taken.find((s) => s.checkoutId === input.checkoutId);
        if (mine) return 'unchanged';
        if (taken.some((s) => s.userId === input.userId))
          return ((refusal = { status: 'already_member' }), null);
        const seat = freeSeat(taken, group.groupSize);
        if (seat === null) return ((refusal = { status: 'full' }), null);
        const next: GroupSeat = {
          seat,
          userId: input.userId,
          checkoutId: input.checkoutId,
          orderId: input.orderId,
          initial: initialOf(user?.name ?? '?'),
          avatarUrl: user?.avatarUrl ?? null,
          paid: false,
          at: now,
        };
        return { groupId, seats: [...taken, next] };
      });
      if (result.status === 'refused') return refusal ?? { status: 'full' };
      const mine = result.entry.seats.find((s) => s.checkoutId === input.checkoutId);
      // The sweep may have ended the group while we took the seat; it claims its outcome before it
      // reads the seats, so whichever of us comes second sees the other.
      if (await outcomeOf(groupId)) {
        await seats.appendOnce(groupId, `release:${input.checkoutId}`, (head) => {
          const taken = head?.seats ?? [];
          if (!taken.some((s) => s.checkoutId === input.checkoutId)) return 'unchanged';
          return { groupId, seats: taken.filter((s) => s.checkoutId !== input.checkoutId) };
        });
        return { status: 'ended' };
      }
      if (result.status === 'appended') await publishProgress(groupId);
      return { status: 'seated', seat: mine?.seat ?? 0 };
    },

    /** The seat's checkout was paid: the seat counts toward completion. Idempotent. */
    async seatPaid(groupId: string, checkoutId: string): Promise<void> {
      const group = await Groups.findById(groupId).lean<GroupDoc>();
      if (!group) return;
      const result = await seats.appendOnce(groupId, `paid:${checkoutId}`, (head) => {
        const taken = head?.seats ?? [];
        const mine = taken.find((s) => s.checkoutId === checkoutId);
        if (!mine || mine.paid) return 'unchanged';
        return { groupId, seats: taken.map((s) => (s.checkoutId === checkoutId ? { ...s, paid: true } : s)) };
      });
      await completeIfFull(group);
      if (result.status === 'appended') await publishProgress(groupId);
    },

    releaseSeat,

    /** Whether the group's orders may proceed to the seller (it filled). */
    async isComplete(groupId: string): Promise<boolean> {
      return (await outcomeOf(groupId)) === 'complete';
    },

    /** The sweep: every open group past its deadline is ended, once (a re-run finds nothing to redo). */
    async sweep(): Promise<{ complete: number; expired: number }> {
      const due = await OpenGroups.find({ deadline: { $lte: clock() } }, { _id: 1 })
        .limit(200)
        .lean<{ _id: string }[]>();
      const counts = { complete: 0, expired: 0 };
      for (const { _id } of due) counts[await endDue(_id)]++;
      return counts;
    },
  };
}

export type GroupBuyingService = ReturnType<typeof createGroupBuyingService>;
