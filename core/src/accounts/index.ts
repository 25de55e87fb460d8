import type { Connection } from 'mongoose';
import type { AuthService } from '../auth';
import type { Clock } from '../clock';
import type { EventBus } from '../events';
import type { NotificationService } from '../notifications';
import type { SmsProvider } from '../sms';
import type { UserService } from '../users';
import { createAccountLinks } from './links';
import { createPhoneCodes } from './phone-codes';
import { createAccountClosing } from './closing';
import type { JobQueue } from '../jobs';
import type { MembershipService } from '../membership';
import type { OrderService } from '../orders';
import type { PromotionService } from '../promotions';
import type { ReviewService } from '../reviews';

export { InvalidLinkError, WrongCodeError } from './errors';
export { PASSWORD_RESET_MINUTES, EMAIL_VERIFICATION_HOURS } from './links';
export { SMS_CODE_MAX_WRONG, SMS_CODE_MINUTES, SMS_RESEND_SECONDS } from './phone-codes';

export { ACCOUNT_ERASE_JOB } from './closing';
export const ACCOUNTS_PRUNE_JOB = 'accounts.prune';
export const PASSWORD_RESET_REQUEST_JOB = 'accounts.password_reset_request';

/** The account lifecycle: links by email, codes by SMS, closing. */
export function createAccountServices(deps: {
  connection: Connection;
  bus: EventBus;
  users: UserService;
  auth: AuthService;
  notifications: NotificationService;
  sms: SmsProvider;
  baseUrl: () => string;
  clock: Clock;
  queue: JobQueue;
  orders: OrderService;
  reviews: ReviewService;
  membership: MembershipService;
  promotions: PromotionService;
}) {
  const links = createAccountLinks(deps);
  const phoneCodes = createPhoneCodes(deps);
  const closing = createAccountClosing({ ...deps, links });
  return { links, phoneCodes, closing };
}

export type AccountServices = ReturnType<typeof createAccountServices>;
