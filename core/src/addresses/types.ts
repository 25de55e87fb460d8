/** What a shopper types for a saved address (validated at the HTTP edge, normalised there). */
export interface AddressInput {
  name: string;
  /** A mainland mobile number, 11 digits starting with 1 (without +86). */
  phone: string;
  province: string;
  city: string;
  district: string;
  line1: string;
  line2: string;
  /** Six digits. */
  postcode: string;
}

/** One address of a shopper's book. */
export interface SavedAddress extends AddressInput {
  id: string;
  isDefault: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface AddressBook {
  /** The default first, then the others, newest first. */
  items: SavedAddress[];
  defaultId: string | null;
  /** The book's version: grows by one with every change. */
  version: number;
}

/** At most this many addresses per shopper. */
export const ADDRESS_BOOK_LIMIT = 20;
