// Step 1 of the move to SvelteKit renders every page in the browser, as the SPA did; public pages turn
// on server rendering route by route.
export const ssr = false;
