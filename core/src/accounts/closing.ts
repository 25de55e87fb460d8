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
import type { createAccountLinks } from './links';

export const ACCOUNT_ERASE_JOB = 'accounts.erase';

/**
 * Closing an account (PIPL): the export is everything held about the person, by the services that
 * hold it; the erasure frees the email at once and ends every session, then a durable job anonymises
 * what must stay (orders for accounting, reviews for other shoppers) and deletes the rest. Each step of
 * the job is idempotent, so a retry after a crash finishes it. The recommender's events are erased by
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
  queue: JobQueue;
  clock: Clock;
}) {
  return {
    /** Everything held about the person, and nothing about anyone else. */
    async exportFor(userId: string) {
      const [profile, orders, reviews, points, pointsHistory, coupons, notices, sessions] = await Promise.all(
        [
          deps.users.exportProfile(userId),
          deps.orders.exportForBuyer(userId),
          deps.reviews.byBuyer(userId),
          deps.membership.account(userId),
          deps.membership.history(userId, 10_000),
          deps.promotions.redeemedBy(userId),
          deps.notifications.exportFor(userId),
          deps.auth.listSessions(userId),
        ],
      );
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
      };
    },

    /**
     * Closes the account after re-authentication with its password. The email is free for a new
     * registration when this returns; the anonymisation finishes in the `accounts.erase` job.
     */
    async close(userId: string, password: string): Promise<{ eraseJobId: string }> {
      if (!(await deps.users.verifyPassword(userId, password))) throw new WrongPasswordError('body.password');
      await deps.users.eraseAccount(userId, deps.clock());
      await deps.auth.endAllSessions(userId, 'account_closed');
      const job = await deps.queue.enqueue(
        ACCOUNT_ERASE_JOB,
        { userId },
        { dedupeKey: userId, maxAttempts: 10 },
      );
      return { eraseJobId: job.id };
    },

    /** The erasure job: each step can run again. */
    async erase(userId: string) {
      const orders = await deps.orders.anonymiseBuyer(userId);
      const reviews = await deps.reviews.anonymiseBuyer(userId);
      await deps.notifications.eraseFor(userId);
      await deps.links.eraseFor(userId);
      return { orders, reviews };
    },
  };
}
