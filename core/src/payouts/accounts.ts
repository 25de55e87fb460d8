import { ValidationError } from '../errors';
import type { PayoutAccountInput } from './port';

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** Checks a payout account's format and returns its masked form (all the marketplace shows again). */
export function checkPayoutAccount(input: PayoutAccountInput): { masked: string; number: string } {
  const holder = input.holder.trim();
  if (!holder || holder.length > 60)
    throw new ValidationError([{ field: 'body.holder', message: 'the account holder, 1 to 60 characters' }]);
  if (input.type === 'bank_card') {
    const number = input.number.replace(/[\s-]/g, '');
    if (!/^\d{16,19}$/.test(number) || !luhn(number))
      throw new ValidationError([{ field: 'body.number', message: 'a bank card number of 16 to 19 digits' }]);
    return { number, masked: `**** **** **** ${number.slice(-4)}` };
  }
  const account = input.number.trim();
  if (/^1[3-9]\d{9}$/.test(account))
    return { number: account, masked: `${account.slice(0, 3)}****${account.slice(-4)}` };
  const email = /^([^@\s]{1,64})@([^@\s]+\.[^@\s]+)$/.exec(account);
  if (email) return { number: account, masked: `${email[1]!.slice(0, 2)}***@${email[2]}` };
  throw new ValidationError([
    { field: 'body.number', message: 'an Alipay account: an email address or a mainland mobile number' },
  ]);
}
