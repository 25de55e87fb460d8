import type { Connection } from 'mongoose';
import type { Clock } from '../clock';
import { createLedger, type LedgerEntry } from '../ledger';
import type { AddressInput } from './types';

export interface StoredAddress extends AddressInput {
  id: string;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * A shopper's address book as a versioned stream (`_id` = `<userId>:<version>`), each entry the whole
 * book after one change. Why a ledger rather than one document per user: two tabs editing the book at
 * once on FerretDB would both read-modify-write the document and one change would be lost; on the
 * ledger the second writer's insert collides and it re-decides on the first one's book. The "exactly
 * one default" rule is then just a property of each entry (`defaultId` names one of its addresses).
 * Entries are small (at most 20 addresses) and books change rarely, so the history costs little.
 */
export interface AddressBookEntry extends LedgerEntry {
  userId: string;
  addresses: StoredAddress[];
  defaultId: string | null;
}

export function addressBookLedger(connection: Connection, clock?: Clock) {
  return createLedger<AddressBookEntry>({
    connection,
    collection: 'address_book_entries',
    heads: 'address_book_heads',
    keyField: 'userId',
    clock,
  });
}
