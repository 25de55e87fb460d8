import { mount } from 'svelte';
import App from './App.svelte';
import { createAuthApi } from './lib/api/auth-api';
import { createCatalogApi } from './lib/api/catalog-api';
import { createHttpClient } from './lib/api/http-client';
import { createSearchApi } from './lib/api/search-api';
import { createSellerApi } from './lib/api/seller-api';
import type { AppContext } from './lib/app-context';
import { CategoryStore } from './lib/categories.svelte';
import { I18n } from './lib/i18n/i18n.svelte';
import { LiveStock } from './lib/realtime/live-stock.svelte';
import { connectRealtime } from './lib/realtime/socket';
import { StockSubscriptions } from './lib/realtime/stock-subscriptions';
import { Router } from './lib/router.svelte';
import { Session } from './lib/session.svelte';
import './styles/global.css';

// Composition root: the session owns the CSRF token the HTTP client sends, hence the late binding.
const http = createHttpClient({
  csrfToken: () => session.csrfToken(),
  refreshCsrfToken: () => session.refresh(),
});
const session = new Session(createAuthApi(http));
const catalog = createCatalogApi(http);
const socket = connectRealtime();

const app: AppContext = {
  router: new Router(),
  i18n: new I18n(),
  session,
  catalog,
  seller: createSellerApi(http),
  search: createSearchApi(http),
  categories: new CategoryStore(catalog),
  liveStock: new LiveStock(socket, new StockSubscriptions(socket), async (productId) =>
    (await catalog.getProduct(productId)).variants.map((v) => ({
      sku: v.sku,
      available: v.available,
      version: v.stockVersion,
    })),
  ),
  socket,
};

void session
  .refresh()
  .catch((error: unknown) => console.warn('Could not load the session', error))
  .finally(() => {
    // The server puts a socket in its seller room at handshake time, so a new identity needs a new connection.
    session.onUserChanged(() => {
      socket.disconnect();
      socket.connect();
    });
  });
void app.categories.load();

mount(App, { target: document.getElementById('app')!, props: { app } });
