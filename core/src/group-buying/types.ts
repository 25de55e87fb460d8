export const MIN_GROUP_SIZE = 2;
export const MAX_GROUP_SIZE = 50;
/** A group's time limit, minutes. */
export const MIN_TIME_LIMIT_MINUTES = 5;
export const MAX_TIME_LIMIT_MINUTES = 7 * 24 * 60;

/**
 * A group deal (拼团) on one SKU: `groupSize` buyers who each pay `groupPrice` fen within
 * `timeLimitMs` of a group's start get it at that price; a group that does not fill in time is refunded.
 */
export interface GroupDeal {
  id: string;
  sku: string;
  productId: string;
  sellerId: string;
  groupPrice: number;
  normalPrice: number;
  /** Buyers a group needs, 2..50. */
  groupSize: number;
  /** How long a group has to fill from its start. */
  timeLimitMs: number;
  /** Groups may be started from `startsAt` until `endsAt` (or until the deal is ended). */
  startsAt: Date;
  endsAt: Date;
  status: 'open' | 'ended';
  createdBy: string;
  createdAt: Date;
}

export interface GroupDealInput {
  sku: string;
  groupPrice: number;
  groupSize: number;
  timeLimitMinutes: number;
  startsAt: Date;
  endsAt: Date;
}

/** A member's seat: held from checkout until paid, or released when the payment window passes. */
export interface GroupSeat {
  seat: number;
  userId: string;
  checkoutId: string;
  orderId: string;
  /** The buyer's initial (never their name: the group page is public). */
  initial: string;
  avatarUrl: string | null;
  paid: boolean;
  at: Date;
}

export type GroupStatus = 'forming' | 'complete' | 'expired';

/** One group of a deal, as its page shows it. */
export interface GroupView {
  id: string;
  dealId: string;
  sku: string;
  productId: string;
  sellerId: string;
  groupPrice: number;
  normalPrice: number;
  groupSize: number;
  leaderId: string;
  createdAt: Date;
  deadline: Date;
  status: GroupStatus;
  members: Omit<GroupSeat, 'checkoutId' | 'orderId' | 'userId'>[];
  paid: number;
  /** Seats neither held nor paid. */
  seatsLeft: number;
}

/** The line a group checkout prices: one unit of the deal's SKU at the group price. */
export interface GroupLine {
  dealId: string;
  groupId: string;
  sku: string;
  productId: string;
  sellerId: string;
  groupPrice: number;
}

export type SeatAnswer =
  | { status: 'seated'; seat: number }
  /** The buyer already holds or paid a seat in this group. */
  | { status: 'already_member' }
  | { status: 'full' }
  | { status: 'ended' };

/** The progress of a group, pushed to its room (`group:<id>`) after each seat change or outcome. */
export interface GroupProgress {
  groupId: string;
  dealId: string;
  productId: string;
  status: GroupStatus;
  paid: number;
  held: number;
  seatsLeft: number;
  groupSize: number;
  deadline: string;
  members: { seat: number; initial: string; avatarUrl: string | null; paid: boolean }[];
  version: number;
  at: string;
}
