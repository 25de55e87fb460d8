// Signed-in pages, forms and staff consoles: rendered in the browser, as before the move to SvelteKit.
// The public pages around this group render on the server and hydrate.
export const ssr = false;
