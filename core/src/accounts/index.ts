import type { Connection } from 'mongoose';
import type { AuthService } from '../auth';
import type { Clock } from '../clock';
import type { EventBus } from '../events';
import type { NotificationService } from '../notifications';
import type { SmsProvider } from '../sms';
import type { UserService } from '../users';
import { createAccountLinks } from './links';
import { createPhoneCodes } from './phone-codes';

export { InvalidLinkError, WrongCodeError } from './errors';
export { PASSWORD_RESET_MINUTES, EMAIL_VERIFICATION_HOURS } from './links';
export { SMS_CODE_MAX_WRONG, SMS_CODE_MINUTES, SMS_RESEND_SECONDS } from './phone-codes';

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
}) {
  const links = createAccountLinks(deps);
  const phoneCodes = createPhoneCodes(deps);
  return { links, phoneCodes };
}

export type AccountServices = ReturnType<typeof createAccountServices>;
