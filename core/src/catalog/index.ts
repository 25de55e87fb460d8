export { createCatalogService, assertCanEdit, type CatalogService } from './service';
export type { Product, Variant, ProductInput, ProductPatch, VariantInput, Actor } from './types';
