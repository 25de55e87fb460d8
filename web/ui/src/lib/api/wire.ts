/**
 * The API's shapes for the Svelte app. Every type is inferred from the zod schema the server declares
 * for the route (`web/src/wire`), so the app cannot drift from what the API sends; `export type *` is
 * erased by the compiler, which keeps zod and the schemas out of the bundle. The constants come from
 * `@market/core/browser`, the same ones the server's schemas use.
 */
export type * from '../../../../src/wire';
export {
  CARRYING,
  DELIVERY_STATUSES,
  FINAL_DELIVERY_STATUSES,
  ORDER_STATUSES,
  type LatLng,
} from '@market/core/browser';
