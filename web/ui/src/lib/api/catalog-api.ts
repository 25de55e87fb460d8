import type { HttpClient } from './http-client';
import type { Category, ProductDetail, ProductPage, ProductQuery } from './wire';

export interface CatalogApi {
  listCategories(): Promise<Category[]>;
  listProducts(query: ProductQuery, signal?: AbortSignal): Promise<ProductPage>;
  getProduct(id: string, signal?: AbortSignal): Promise<ProductDetail>;
}

export function createCatalogApi(http: HttpClient): CatalogApi {
  return {
    async listCategories() {
      const { items } = await http.get('/api/categories');
      return items;
    },
    listProducts: (query, signal) => http.get('/api/products', { query: { ...query }, signal }),
    getProduct: (id, signal) => http.get(`/api/products/${encodeURIComponent(id)}`, { signal }),
  };
}
