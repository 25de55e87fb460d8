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
import { createAvatars, type AvatarImager } from './avatars';
import type { JobQueue } from '../jobs';
import type { MembershipService } from '../membership';
import type { OrderService } from '../orders';
import type { PromotionService } from '../promotions';
import type { ReviewService } from '../reviews';
import type { AddressBookService } from '../addresses';
import type { FavouriteService } from '../favourites';
import type { LogisticsService } from '../logistics';
import type { AfterSalesService } from '../aftersales';

export { InvalidLinkError, WrongCodeError } from './errors';
export { PASSWORD_RESET_MINUTES, EMAIL_VERIFICATION_HOURS } from './links';
export { SMS_CODE_MAX_WRONG, SMS_CODE_MINUTES, SMS_RESEND_SECONDS } from './phone-codes';

export { ACCOUNT_ERASE_JOB } from './closing';
export {
  AVATAR_FORMATS,
  AVATAR_KEY_PATTERN,
  AVATAR_SIDES,
  type AvatarFile,
  type AvatarFormat,
  type AvatarImager,
  type AvatarSide,
} from './avatars';
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
  addresses: AddressBookService;
  favourites: FavouriteService;
  logistics: Pick<LogisticsService, 'anonymiseRecipient'>;
  aftersales: Pick<AfterSalesService, 'listForBuyer' | 'anonymiseBuyer'>;
  /** Profile photos: where their files live, and the renderer (null: no uploads on this node). */
  avatars: { root: string; imager: AvatarImager | null; maxBytes: number };
}) {
  const links = createAccountLinks(deps);
  const phoneCodes = createPhoneCodes(deps);
  const avatars = createAvatars({ ...deps.avatars, users: deps.users });
  const closing = createAccountClosing({ ...deps, links, phoneCodes, avatars });
  return { links, phoneCodes, closing, avatars };
}

export type AccountServices = ReturnType<typeof createAccountServices>;
