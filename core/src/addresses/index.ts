export { createAddressBookService, type AddressBookService } from './service';
export { ADDRESS_BOOK_LIMIT, type AddressBook, type AddressInput, type SavedAddress } from './types';
