/**
 * The API's shapes for the Svelte app. Every type is inferred from the zod schema the server declares
 * for the route (`web/src/wire`), so the app cannot drift from what the API sends; `export type *` is
 * erased by the compiler, which keeps zod and the schemas out of the bundle. The constants come from
 * core's plain `types.ts`/`state.ts` files (no imports but types), the ones the server itself uses.
 */
export type * from '../../../../src/wire';
export type { LatLng } from '../../../../../core/src/logistics/area';
export { ORDER_STATUSES } from '../../../../../core/src/orders/types';
export { DELIVERY_STATUSES } from '../../../../../core/src/logistics/types';
export { CARRYING, FINAL_DELIVERY_STATUSES } from '../../../../../core/src/logistics/state';
