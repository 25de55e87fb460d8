import type { Address } from './api/wire';
import type { MessageKey } from './i18n/messages';

export const EMPTY_ADDRESS: Address = {
  name: '',
  phone: '',
  province: '',
  city: '',
  district: '',
  line1: '',
  line2: '',
  postcode: '',
};

const REQUIRED = ['name', 'phone', 'province', 'city', 'district', 'line1', 'postcode'] as const;

/** The address with every field trimmed. */
export function cleanAddress(address: Address): Address {
  return Object.fromEntries(Object.entries(address).map(([k, v]) => [k, String(v ?? '').trim()])) as Address;
}

/**
 * The address book's rules, checked before sending so the form answers at once (the server checks them
 * again, `web/src/routes/accounts-schemas.ts`): field → message key.
 */
export function addressProblems(address: Address): Partial<Record<keyof Address, MessageKey>> {
  const a = cleanAddress(address);
  const problems: Partial<Record<keyof Address, MessageKey>> = {};
  for (const key of REQUIRED) if (!a[key]) problems[key] = 'auth.required';
  const phone = a.phone.replace(/[\s-]/g, '').replace(/^(\+?86)(?=1\d{10}$)/, '');
  if (a.phone && !/^1[3-9]\d{9}$/.test(phone)) problems.phone = 'checkout.address.badMobile';
  if (a.postcode && !/^\d{6}$/.test(a.postcode)) problems.postcode = 'checkout.address.badPostcode6';
  return problems;
}
