import type { AuthService } from '../auth';
import type { Clock } from '../clock';
import { WrongPasswordError } from '../errors';
import type { JobQueue } from '../jobs';
import type { MembershipService } from '../membership';
import type { NotificationService } from '../notifications';
import type { OrderService } from '../orders';
import type { PromotionService } from '../promotions';
import type { ReviewService } from '../reviews';
import type { UserService } from '../users';
import type { AddressBookService } from '../addresses';
import type { FavouriteService } from '../favourites';
import type { LogisticsService } from '../logistics';
import type { AfterSalesService } from '../aftersales';
import type { Avatars } from './avatars';
import type { createAccountLinks } from './links';
import type { createPhoneCodes } from './phone-codes';

export const ACCOUNT_ERASE_JOB = 'accounts.erase';

/**
 * Closing an account (PIPL): the export is everything held about the person, by the services that
 * hold it; the erasure frees the email at once and ends every session, then a durable job anonymises
 * what must stay (orders for accounting, reviews for other shoppers) and deletes the rest. Each step of
 * the job is idempotent, so a retry after a crash finishes it. What goes: the address book and its history,
 * favourites and their alerts, notifications, links, SMS codes, the profile photo's files, after-sales
 * evidence photos and delivery proof photos; what stays anonymised: orders (amounts, lines, the city of
 * delivery), deliveries (route, codes, history) and after-sales requests (without the buyer's words). The recommender's events are erased by
 * the web layer through the recommender's own reset (core does not know that package).
 */
export function createAccountClosing(deps: {
  users: UserService;
  auth: AuthService;
  orders: Pick<OrderService, 'exportForBuyer' | 'anonymiseBuyer'>;
  reviews: Pick<ReviewService, 'byBuyer' | 'anonymiseBuyer'>;
  membership: Pick<MembershipService, 'account' | 'history'>;
  promotions: Pick<PromotionService, 'redeemedBy'>;
  notifications: NotificationService;
  links: ReturnType<typeof createAccountLinks>;
  phoneCodes: Pick<ReturnType<typeof createPhoneCodes>, 'eraseFor'>;
  addresses: Pick<AddressBookService, 'eraseFor' | 'list'>;
  favourites: Pick<FavouriteService, 'eraseFor' | 'exportFor'>;
  logistics: Pick<LogisticsService, 'anonymiseRecipient'>;
  aftersales: Pick<AfterSalesService, 'listForBuyer' | 'anonymiseBuyer'>;
  avatars: Pick<Avatars, 'removeFiles'>;
  queue: JobQueue;
  clock: Clock;
}) {
  return {
    /** Everything held about the person, and nothing about anyone else. */
    async exportFor(userId: string) {
      const [
        profile,
        orders,
        reviews,
        points,
        pointsHistory,
        coupons,
        notices,
        sessions,
        addressBook,
        favourites,
        afterSales,
      ] = await Promise.all([
        deps.users.exportProfile(userId),
        deps.orders.exportForBuyer(userId),
        deps.reviews.byBuyer(userId),
        deps.membership.account(userId),
        deps.membership.history(userId, 10_000),
        deps.promotions.redeemedBy(userId),
        deps.notifications.exportFor(userId),
        deps.auth.listSessions(userId),
        deps.addresses.list(userId),
        deps.favourites.exportFor(userId),
        deps.aftersales.listForBuyer(userId, 10_000),
      ]);
      return {
        exportedAt: deps.clock().toISOString(),
        profile,
        // Orders where the person is the buyer, with the shop's name; never another buyer's.
        orders,
        reviews,
        points: { account: points, history: pointsHistory },
        couponsRedeemed: coupons,
        notifications: notices.notifications,
        notificationPreferences: notices.preferences,
        sessions,
        addresses: addressBook.items,
        favourites,
        afterSales,
      };
    },

    /**
     * Closes the account after re-authentication with its password. The email is free for a new
     * registration when this returns; the anonymisation finishes in the `accounts.erase` job.
     */
    async close(userId: string, password: string): Promise<{ eraseJobId: string }> {
      if (!(await deps.users.verifyPassword(userId, password))) throw new WrongPasswordError('body.password');
      const { avatarKey } = await deps.users.eraseAccount(userId, deps.clock());
      await deps.auth.endAllSessions(userId, 'account_closed');
      // The photo's key leaves the account with the erasure: the job carries it to delete the files.
      const job = await deps.queue.enqueue(
        ACCOUNT_ERASE_JOB,
        { userId, avatarKey },
        { dedupeKey: userId, maxAttempts: 10 },
      );
      return { eraseJobId: job.id };
    },

    /** The erasure job: each step can run again. */
    async erase(userId: string, avatarKey: string | null = null) {
      const orders = await deps.orders.anonymiseBuyer(userId);
      const deliveries = await deps.logistics.anonymiseRecipient(userId);
      const afterSales = await deps.aftersales.anonymiseBuyer(userId);
      const reviews = await deps.reviews.anonymiseBuyer(userId);
      await deps.addresses.eraseFor(userId);
      await deps.favourites.eraseFor(userId);
      await deps.notifications.eraseFor(userId);
      await deps.links.eraseFor(userId);
      await deps.phoneCodes.eraseFor(userId);
      if (avatarKey) await deps.avatars.removeFiles(avatarKey);
      return { orders, deliveries, afterSales, reviews };
    },
  };
}
