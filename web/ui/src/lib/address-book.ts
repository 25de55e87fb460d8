import type { Address } from './api/wire';

const STORAGE_KEY = 'bazaar.deliveryAddress';

export const EMPTY_ADDRESS: Address = {
  name: '',
  phone: '',
  line1: '',
  line2: '',
  city: '',
  province: '',
  postcode: '',
};

/** The delivery address used last on this device, so the next checkout starts filled in. */
export function loadAddress(): Address {
  try {
    const saved = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null') as Partial<Address> | null;
    if (!saved || typeof saved !== 'object') return { ...EMPTY_ADDRESS };
    const address = { ...EMPTY_ADDRESS };
    for (const key of Object.keys(EMPTY_ADDRESS) as (keyof Address)[])
      if (typeof saved[key] === 'string') address[key] = saved[key];
    return address;
  } catch {
    return { ...EMPTY_ADDRESS };
  }
}

export function saveAddress(address: Address): void {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(address));
  } catch {
    // Private mode or storage full: the address is simply not remembered.
  }
}

/** The fields the server requires for courier delivery. */
export const REQUIRED_ADDRESS_FIELDS = ['name', 'phone', 'line1', 'city'] as const;
