/**
 * The password policy's numbers, apart from its estimator so the storefront can show them without
 * loading the dictionaries (`password-policy.ts` says why these values).
 */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;
/** zxcvbn's score (0–4) a new password must reach. */
export const PASSWORD_MIN_SCORE = 3;
