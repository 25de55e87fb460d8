import type { FlashApi } from './api/flash-api';
import { ServerClock } from './flash-countdown';

/**
 * One server clock for every small countdown on a page (the flash-sale prices on product cards): the
 * first card that needs it asks the server's time once (the sale list, answered from the server's cached
 * copy), and one timer moves `now` every second while any card shows a countdown. A card never counts
 * from the time its answer was made: a listing page may come from a cache some seconds old.
 */
export class ServerTime {
  /** The server's time in epoch ms, NaN until the first answer. */
  now = $state(Number.NaN);
  readonly #clock = new ServerClock();
  #syncing = false;
  #users = 0;
  #timer: ReturnType<typeof setInterval> | null = null;

  constructor(private readonly flash: Pick<FlashApi, 'list'>) {}

  /** Starts following the server's clock (call from an effect: browser only); returns the stop. */
  follow(): () => void {
    this.#users++;
    this.#sync();
    this.#timer ??= setInterval(() => {
      if (this.#clock.synced) this.now = this.#clock.now();
    }, 1000);
    return () => {
      this.#users--;
      if (this.#users === 0 && this.#timer) {
        clearInterval(this.#timer);
        this.#timer = null;
      }
    };
  }

  #sync(): void {
    if (this.#clock.synced || this.#syncing) return;
    this.#syncing = true;
    const sentAt = performance.now();
    this.flash
      .list()
      .then(({ serverNow }) => {
        this.#clock.sync(serverNow, sentAt, performance.now());
        this.now = this.#clock.now();
      })
      // Cards then show the sale price without a countdown; the next card to mount tries again.
      .catch((e: unknown) => console.warn('Could not read the server time', e))
      .finally(() => (this.#syncing = false));
  }
}
