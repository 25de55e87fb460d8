/**
 * Tests drive hundreds of registrations, checkouts and searches from one address within seconds, which
 * the per-address budgets exist to stop; test apps start with them off (0), and the rate-limit tests set
 * their own. Same code path, other numbers.
 */
export const UNLIMITED_REQUESTS = {
  RATE_LIMIT_REGISTER_PER_IP: '0',
  RATE_LIMIT_CHECKOUT_PER_USER: '0',
  RATE_LIMIT_CHECKOUT_PER_IP: '0',
  RATE_LIMIT_COUPON_PER_USER: '0',
  RATE_LIMIT_COUPON_PER_IP: '0',
  RATE_LIMIT_SEARCH_PER_USER: '0',
  RATE_LIMIT_SEARCH_PER_IP: '0',
  RATE_LIMIT_PASSWORD_CHECK_PER_IP: '0',
  RATE_LIMIT_PASSWORD_RESET_PER_IP: '0',
  RATE_LIMIT_SMS_CODE_PER_IP: '0',
  RATE_LIMIT_FLASH_CLAIM_PER_IP: '0',
  RATE_LIMIT_FLASH_CLAIM_PER_USER: '0',
} as const;
