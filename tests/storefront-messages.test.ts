import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { en } from '@market/web/ui/i18n/messages';
import { storefrontMessageKeys } from '@market/web/ui/message-bundles';

/**
 * Which messages the storefront's pages ship (`web/ui/message-bundles.ts`): on a small made-up app, what
 * the scan follows and what it leaves to the `(client)` pages; on the real one, that the split leaves
 * the rest out of the shopper pages.
 */

const roots: string[] = [];
afterAll(() => roots.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function app(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'message-bundles-'));
  roots.push(root);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, 'src', file)), { recursive: true });
    writeFileSync(path.join(root, 'src', file), text);
  }
  return root;
}

const KEYS = ['home.title', 'sort.new', 'sort.old', 'card.price', 'typeOnly.key', 'admin.title', 'lib.used'];

describe('the storefront part of the messages', () => {
  it('follows value imports from the public routes, with template prefixes, and skips (client) and types', () => {
    const root = app({
      'routes/+page.svelte': `<script lang="ts">
  import Card from '../components/Card.svelte';
  import type { Thing } from '../lib/types';
  import { helper } from '$lib/helper';
  const label = i18n.t('home.title');
  const sort = (s: string) => i18n.t(\`sort.\${s}\` as MessageKey);
</script>`,
      'components/Card.svelte': `<p>{i18n.t("card.price")}</p>`,
      'lib/types.ts': `export type Thing = 'typeOnly.key';`,
      'lib/helper.ts': `export const helper = () => 'lib.used';`,
      'routes/(client)/admin/+page.svelte': `<p>{i18n.t('admin.title')}</p>`,
    });
    expect([...storefrontMessageKeys(root, KEYS)].sort()).toEqual(
      ['card.price', 'home.title', 'lib.used', 'sort.new', 'sort.old'].sort(),
    );
  });

  it('on the real storefront: its header and cards’ words, not the consoles’', () => {
    const keys = storefrontMessageKeys(path.resolve('web/ui'), Object.keys(en));
    for (const key of ['nav.login', 'cart.add', 'stock.inStock', 'search.placeholder', 'recs.hotNow']) {
      expect(keys.has(key), key).toBe(true);
    }
    for (const key of ['auth.loginTitle', 'finance.title', 'courier.title'] as const) {
      expect(en[key], key).toBeTypeOf('string');
      expect(keys.has(key), key).toBe(false);
    }
    // Most of the catalogue belongs to the signed-in pages and consoles.
    expect(keys.size).toBeLessThan(Object.keys(en).length / 4);
  });
});
