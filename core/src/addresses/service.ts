import type { Connection } from 'mongoose';
import { type Clock, systemClock } from '../clock';
import { ConflictError, NotFoundError, ValidationError } from '../errors';
import { newId } from '../ids';
import type { Address } from '../orders';
import { addressBookLedger, type AddressBookEntry, type StoredAddress } from './model';
import { ADDRESS_BOOK_LIMIT, type AddressBook, type AddressInput, type SavedAddress } from './types';

/** How one change turns the book it read into the next one, or throws (nothing is then written). */
type BookChange = (book: { addresses: StoredAddress[]; defaultId: string | null }) => {
  addresses: StoredAddress[];
  defaultId: string | null;
};

/**
 * Shoppers' address books: several addresses, exactly one default while the book is not empty, used at
 * checkout (the order keeps a copy, so editing the book never changes a past order). Guests have none.
 */
export function createAddressBookService(deps: { connection: Connection; clock?: Clock }) {
  const ledger = addressBookLedger(deps.connection, deps.clock);
  const now = deps.clock ?? systemClock;

  function toBook(entry: AddressBookEntry | null): AddressBook {
    if (!entry) return { items: [], defaultId: null, version: 0 };
    const items = entry.addresses
      .map((a): SavedAddress => ({ ...a, isDefault: a.id === entry.defaultId }))
      .sort(
        (a, b) =>
          Number(b.isDefault) - Number(a.isDefault) ||
          new Date(b.createdAt).getTime() - new Date(a.createdAt).getTime(),
      );
    return { items, defaultId: entry.defaultId, version: entry.version };
  }

  function find(addresses: StoredAddress[], id: string): StoredAddress {
    const found = addresses.find((a) => a.id === id);
    // Another shopper's address id reads as unknown: a book answers only for its owner's addresses.
    if (!found) throw new NotFoundError('Address');
    return found;
  }

  /**
   * Applies `change` to the latest book. The ledger re-runs it on the newer book when another tab's
   * change won the race, so no change is lost and the default rule holds after every one.
   */
  async function changeBook(userId: string, change: BookChange): Promise<AddressBookEntry> {
    const result = await ledger.append(userId, (head) => {
      const next = change({ addresses: head?.addresses ?? [], defaultId: head?.defaultId ?? null });
      const defaultId = next.addresses.some((a) => a.id === next.defaultId)
        ? next.defaultId
        : // The default went away (or there was none): the newest remaining address takes its place.
          ([...next.addresses].sort((a, b) => +new Date(b.createdAt) - +new Date(a.createdAt))[0]?.id ??
          null);
      return { userId, addresses: next.addresses, defaultId };
    });
    if (result.status !== 'appended') throw new Error(`address book change was ${result.status}`);
    return result.entry;
  }

  return {
    async list(userId: string): Promise<AddressBook> {
      return toBook(await ledger.latest(userId));
    },

    async get(userId: string, id: string): Promise<SavedAddress> {
      const book = toBook(await ledger.latest(userId));
      const found = book.items.find((a) => a.id === id);
      if (!found) throw new NotFoundError('Address');
      return found;
    },

    async add(userId: string, input: AddressInput, opts: { makeDefault?: boolean } = {}) {
      const id = newId('adr');
      const at = now();
      const entry = await changeBook(userId, (book) => {
        if (book.addresses.length >= ADDRESS_BOOK_LIMIT)
          throw new ConflictError(`An address book holds at most ${ADDRESS_BOOK_LIMIT} addresses`, {
            reason: 'address_book_full',
          });
        return {
          addresses: [...book.addresses, { ...input, id, createdAt: at, updatedAt: at }],
          defaultId: opts.makeDefault || !book.defaultId ? id : book.defaultId,
        };
      });
      return toBook(entry).items.find((a) => a.id === id)!;
    },

    async update(userId: string, id: string, input: AddressInput, opts: { makeDefault?: boolean } = {}) {
      const entry = await changeBook(userId, (book) => {
        find(book.addresses, id);
        return {
          addresses: book.addresses.map((a) => (a.id === id ? { ...a, ...input, updatedAt: now() } : a)),
          defaultId: opts.makeDefault ? id : book.defaultId,
        };
      });
      return toBook(entry).items.find((a) => a.id === id)!;
    },

    async remove(userId: string, id: string): Promise<AddressBook> {
      return toBook(
        await changeBook(userId, (book) => {
          find(book.addresses, id);
          return { addresses: book.addresses.filter((a) => a.id !== id), defaultId: book.defaultId };
        }),
      );
    },

    async makeDefault(userId: string, id: string): Promise<AddressBook> {
      return toBook(
        await changeBook(userId, (book) => {
          find(book.addresses, id);
          return { addresses: book.addresses, defaultId: id };
        }),
      );
    },

    /**
     * Erases the book and its history (account erasure): every entry of the stream and its head hint.
     * Orders keep their own copies, which the order service anonymises.
     */
    async eraseFor(userId: string): Promise<void> {
      await ledger.collection.deleteMany({ userId } as never);
      await deps.connection.collection('address_book_heads').deleteOne({ _id: userId } as never);
    },

    /**
     * The delivery address a checkout copies onto its orders when the shopper picked `addressId` from
     * their book. `field` names the request field in the error when the id is not theirs.
     */
    async deliveryAddress(userId: string, addressId: string, field: string): Promise<Address> {
      const book = toBook(await ledger.latest(userId));
      const a = book.items.find((x) => x.id === addressId);
      if (!a) throw new ValidationError([{ field, message: 'not an address in your address book' }]);
      return {
        name: a.name,
        phone: a.phone,
        province: a.province,
        city: a.city,
        district: a.district,
        line1: a.line1,
        line2: a.line2,
        postcode: a.postcode,
      };
    },
  };
}

export type AddressBookService = ReturnType<typeof createAddressBookService>;
