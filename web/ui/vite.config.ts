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
      // SvelteKit hashes the inline script that starts hydration; the hook puts those hashes into the
      // one page policy (web/src/http/content-security.ts), which allows no other inline script.
      csp: { mode: 'hash', directives: { 'script-src': ['self'] } },
    }),
  ],
  build: { target: 'es2022' },
  // No `vite dev`: the pages' server side needs the Koa app's bridge, so `npm run dev` serves the build.
});
