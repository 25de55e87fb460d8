import type {
  AddressBook,
  AddressInput,
  FavouriteAlert,
  FavouriteKind,
  FavouritePage,
  FavouriteState,
  SavedAddress,
} from './wire';
import type { HttpClient } from './http-client';

/** The shopper's address book. */
export interface AddressesApi {
  list(): Promise<AddressBook>;
  add(input: AddressInput): Promise<SavedAddress>;
  update(id: string, input: AddressInput): Promise<SavedAddress>;
  makeDefault(id: string): Promise<AddressBook>;
  remove(id: string): Promise<AddressBook>;
}

/** Favourites (收藏) of products and shops. */
export interface FavouritesApi {
  state(kind: FavouriteKind, id: string): Promise<FavouriteState>;
  set(kind: FavouriteKind, id: string, favourited: boolean): Promise<FavouriteState>;
  list(kind: FavouriteKind, cursor?: string | null): Promise<FavouritePage>;
  alerts(): Promise<FavouriteAlert[]>;
}

export function createAddressesApi(http: HttpClient): AddressesApi {
  const one = (id: string) => `/api/me/addresses/${encodeURIComponent(id)}` as const;
  return {
    list: () => http.get('/api/me/addresses'),
    add: (input) => http.send('POST', '/api/me/addresses', { json: input }),
    update: (id, input) => http.send('PUT', one(id), { json: input }),
    makeDefault: (id) => http.send('POST', `${one(id)}/default`),
    remove: (id) => http.send('DELETE', one(id)),
  };
}

export function createFavouritesApi(http: HttpClient): FavouritesApi {
  const target = (kind: FavouriteKind, id: string) => `${kind}/${encodeURIComponent(id)}` as const;
  return {
    state: (kind, id) => http.get(`/api/favourites/${target(kind, id)}`),
    set: (kind, id, favourited) =>
      favourited
        ? http.send('PUT', `/api/me/favourites/${target(kind, id)}`, { json: {} })
        : http.send('DELETE', `/api/me/favourites/${target(kind, id)}`),
    list: (kind, cursor) =>
      http.get('/api/me/favourites', { query: { kind, limit: 24, ...(cursor && { cursor }) } }),
    alerts: async () => (await http.get('/api/me/favourites/alerts')).items,
  };
}
