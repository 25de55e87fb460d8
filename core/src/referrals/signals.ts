import type { ReferralSignal } from './types';

/** The parts of a person the checks compare: their login phone, saved addresses, and an order's delivery. */
export interface PersonFacts {
  phone: string | null;
  addresses: { phone: string; province: string; city: string; district?: string; line1: string }[];
  /** Payer fingerprints a payment provider gave (none with the sandbox provider). */
  payers: string[];
}

/** Mainland numbers compared by their last 11 digits ("+86 138 0000 0000" = "13800000000"). */
export function phoneKey(phone: string | null | undefined): string | null {
  const digits = (phone ?? '').replace(/\D/g, '');
  return digits.length >= 7 ? digits.slice(-11) : null;
}

/** An address compared without case, spaces or punctuation, down to its first line. */
export function addressKey(a: PersonFacts['addresses'][number]): string {
  const part = (s: string | undefined) => (s ?? '').toLowerCase().replace(/[\s\p{P}]/gu, '');
  return [a.province, a.city, a.line1].map(part).join('|');
}

/**
 * An email as a mailbox: lower case, without a `+tag`, and without dots for Gmail, so `a.b+x@gmail.com`
 * and `ab@gmail.com` are one person inviting themselves.
 */
export function mailboxKey(email: string): string {
  const [local = '', domain = ''] = email.trim().toLowerCase().split('@');
  const base = local.split('+')[0] ?? '';
  const gmail = domain === 'gmail.com' || domain === 'googlemail.com';
  return `${gmail ? base.replace(/\./g, '') : base}@${gmail ? 'gmail.com' : domain}`;
}

/** What the invitee shares with the inviter: any delivery address, any phone number, any payer. */
export function sharedSignals(invitee: PersonFacts, inviter: PersonFacts): ReferralSignal[] {
  const phones = (p: PersonFacts) =>
    new Set(
      [p.phone, ...p.addresses.map((a) => a.phone)].map(phoneKey).filter((k): k is string => k !== null),
    );
  const places = (p: PersonFacts) => new Set(p.addresses.map(addressKey));
  const theirPhones = phones(inviter);
  const theirPlaces = places(inviter);
  const signals: ReferralSignal[] = [];
  if ([...places(invitee)].some((k) => theirPlaces.has(k))) signals.push('address');
  if ([...phones(invitee)].some((k) => theirPhones.has(k))) signals.push('phone');
  if (invitee.payers.some((k) => inviter.payers.includes(k))) signals.push('payment');
  return signals;
}

/** A name as an inviter may see it: each word's first letter, then stars ("Li Wei" → "L* W**"). */
export function maskName(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  if (!words.length) return '***';
  return words.map((w) => [...w][0]! + '*'.repeat(Math.max(1, Math.min(3, [...w].length - 1)))).join(' ');
}
