import type { StorefrontBridge } from './lib/server/storefront-bridge';

declare global {
  namespace App {
    interface Locals {
      storefront: StorefrontBridge;
    }
  }
}

export {};
