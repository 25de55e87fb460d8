import type { LiveStock } from './live-stock.svelte';

export interface WatchWhileVisibleParams {
  liveStock: LiveStock;
  productId: string;
}

/**
 * Svelte action: watches a product's stock only while its element is on (or near) the screen, so a long
 * grid subscribes to a screenful of products rather than to everything loaded so far.
 */
export function watchWhileVisible(node: Element, params: WatchWhileVisibleParams) {
  let current = params;
  let release: (() => void) | null = null;
  let visible = false;

  const start = () => {
    release?.();
    release = current.liveStock.watch(current.productId);
  };
  const stop = () => {
    release?.();
    release = null;
  };

  const observer = new IntersectionObserver(
    (entries) => {
      visible = entries.some((entry) => entry.isIntersecting);
      if (visible && !release) start();
      if (!visible) stop();
    },
    { rootMargin: '200px 0px' },
  );
  observer.observe(node);

  return {
    update(next: WatchWhileVisibleParams) {
      if (next.productId === current.productId && next.liveStock === current.liveStock) return;
      current = next;
      if (visible) start();
    },
    destroy() {
      observer.disconnect();
      stop();
    },
  };
}
