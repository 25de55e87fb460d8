import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import adapter from '@sveltejs/adapter-node';
import { sveltekit } from '@sveltejs/kit/vite';
import { runnerImport, type Plugin } from 'vite';
import { storefrontMessageKeys } from './message-bundles.ts';

const root = fileURLToPath(new URL('.', import.meta.url));

const MESSAGE_MODULE = /^virtual:messages\/(storefront|rest)\/(en|zh)$/;

/**
 * `virtual:messages/<part>/<lang>`: one language's UI messages, split into what the server-rendered
 * storefront's pages use (`message-bundles.ts`) and the rest (signed-in pages, seller centre, staff
 * consoles), so a shopper's page loads one language's storefront words and nothing else. Computed from
 * `src/lib/i18n/messages.ts` at build time; that file stays the one typed source.
 */
function messageTables(): Plugin {
  type Catalogue = Record<'en' | 'zh', Record<string, string>>;
  let catalogue: Promise<{ tables: Catalogue; storefront: Set<string> }> | undefined;
  const read = async () => {
    const file = fileURLToPath(new URL('./src/lib/i18n/messages.ts', import.meta.url));
    const { module } = await runnerImport<Catalogue>(file, { configFile: false, logLevel: 'warn' });
    return { tables: module, storefront: storefrontMessageKeys(root, Object.keys(module.en)) };
  };
  return {
    name: 'bazaar-message-tables',
    resolveId: (id) => (MESSAGE_MODULE.test(id) ? `\0${id}` : null),
    async load(id) {
      const match = MESSAGE_MODULE.exec(id.replace(/^\0/, ''));
      if (!match || !id.startsWith('\0')) return null;
      catalogue ??= read();
      const { tables, storefront } = await catalogue;
      const table: Record<string, string> = match[2] === 'en' ? tables.en : tables.zh;
      const wanted = (key: string) => storefront.has(key) === (match[1] === 'storefront');
      const picked = Object.fromEntries(Object.entries(table).filter(([key]) => wanted(key)));
      return `export default ${JSON.stringify(picked)};`;
    },
  };
}

export default defineConfig({
  root,
  plugins: [
    messageTables(),
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
