import { createHttpClient } from './api/http-client';
import type { AppContext } from './app-context';
import { assembleApp, type InitialAppState } from './assemble-app';
import { Realtime } from './realtime/socket';

/**
 * The storefront in the browser: the shared assembly over `fetch` and live sockets, then the session
 * read and everything that follows it. Created once, when the root layout hydrates or first runs.
 */
export function createBrowserApp(initial: InitialAppState): AppContext {
  const realtime = new Realtime({ connect: true });
  const app = assembleApp(
    (session) =>
      createHttpClient({
        csrfToken: () => session().csrfToken(),
        refreshCsrfToken: () => session().refresh(),
      }),
    realtime,
    initial,
  );
  const { session, cart, favourites, notifications } = app;

  void session
    .refresh()
    .catch((error: unknown) => console.warn('Could not load the session', error))
    .finally(() => {
      cart.followSession(session);
      favourites.followSession(session);
      notifications.followSession(session);
      // The server picks rooms and namespaces at handshake time, so a new identity needs a new connection.
      session.onUserChanged(() => realtime.reconnect());
      // Ended elsewhere (another tab's logout, a password change, a block): the server cut our sockets.
      // Reading the session shows the signed-out state; reconnect even if it was already known here.
      realtime.onSessionEnded(() => {
        const before = session.user?.id;
        void session.refresh().finally(() => {
          if (session.user?.id === before) realtime.reconnect();
        });
      });
    });
  return app;
}
