/**
 * Checks of the identifiers a seller gives: the unified social credit code (统一社会信用代码, GB 32100-2015)
 * of a company or registered business, and the resident identity number (GB 11643-1999) of an
 * individual seller. Pure and browser-safe: the seller centre's form runs the same checks while typing.
 */

/** GB 32100-2015's alphabet: digits and capital letters without I, O, Z, S and V. */
const CREDIT_CODE_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
/** Weights of positions 1–17: 3^(i-1) mod 31. */
const CREDIT_CODE_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
/** Registration authorities (position 1): 1–9, A–G, Y (the standard's table; N is "other"). */
const AUTHORITIES = '123456789ABCDEFGNY';

/** The check character (position 18) of the first 17 characters of a credit code. */
export function creditCodeCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CREDIT_CODE_CHARS.indexOf(first17[i]!) * CREDIT_CODE_WEIGHTS[i]!;
  return CREDIT_CODE_CHARS[(31 - (sum % 31)) % 31]!;
}

/** Why `code` is not a valid unified social credit code, or null when it is (upper-case expected). */
export function creditCodeProblem(code: string): string | null {
  if (code.length !== 18) return 'must be 18 characters';
  for (const ch of code)
    if (!CREDIT_CODE_CHARS.includes(ch)) return `"${ch}" is not used in credit codes (no I, O, Z, S or V)`;
  if (!AUTHORITIES.includes(code[0]!)) return 'the first character names no registration authority';
  if (!/^\d{6}$/.test(code.slice(2, 8))) return 'characters 3–8 must be the digits of an area code';
  if (creditCodeCheckChar(code.slice(0, 17)) !== code[17]) return 'the check character does not match';
  return null;
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** Why `id` is not a valid 18-digit resident identity number, or null when it is. */
export function residentIdProblem(id: string): string | null {
  if (!/^\d{17}[\dX]$/.test(id)) return 'must be 17 digits and a digit or X';
  const birth = id.slice(6, 14);
  const date = new Date(`${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6, 8)}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10).replaceAll('-', '') !== birth)
    return 'characters 7–14 must be a date of birth';
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(id[i]) * ID_WEIGHTS[i]!;
  if (ID_CHECK[sum % 11] !== id[17]) return 'the check digit does not match';
  return null;
}

/** A mainland mobile number as its 11 digits (a `+86`/`86` prefix, spaces and dashes dropped), or null. */
export function mainlandMobile(phone: string): string | null {
  const digits = phone.replace(/[\s-]/g, '').replace(/^(\+?86)/, '');
  return /^1[3-9]\d{9}$/.test(digits) ? digits : null;
}
