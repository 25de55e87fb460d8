import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import adapter from '@sveltejs/adapter-node';
import { sveltekit } from '@sveltejs/kit/vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  plugins: [
    sveltekit({
      // The Koa app imports `build/handler.js` and mounts it (web/src/http/storefront.ts): one process.
      // Absolute, because the adapter resolves `out` against the working directory, not the Vite root.
      adapter: adapter({ out: fileURLToPath(new URL('./build', import.meta.url)), precompress: true }),
      // SvelteKit hashes the inline script that starts hydration and the inlined stylesheets; the hook
      // puts those hashes into the one page policy (web/src/http/content-security.ts), which allows no
      // other inline script or style element.
      csp: { mode: 'hash', directives: { 'script-src': ['self'], 'style-src': ['self'] } },
      // A page's stylesheets (each under 16 kB; the storefront's add up to ~35 kB, ~7 kB compressed) go
      // into its HTML: the first paint waits for no stylesheet request, a dozen of them on a phone
      // network otherwise. Client-side navigations still load other routes' CSS files.
      inlineStyleThreshold: 16 * 1024,
    }),
  ],
  build: { target: 'es2022' },
  // No `vite dev`: the pages' server side needs the Koa app's bridge, so `npm run dev` serves the build.
});
