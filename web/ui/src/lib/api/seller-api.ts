import type { HttpClient } from './http-client';
import type {
  ImportJob,
  NewProductInput,
  ProductDetail,
  ProductPatch,
  SellerProductPage,
  StockLevel,
} from './wire';

export const IMPORT_TEMPLATE_URL = '/api/seller/imports/template.csv';
/** An import's row errors as CSV (neutralised against spreadsheet formulas on the server). */
export const importErrorsUrl = (importId: string) =>
  `/api/seller/imports/${encodeURIComponent(importId)}/errors.csv`;

/** Each row is a full product with variants and stock; 50 (the API default) took ~40 s on the demo data. */
const SELLER_PAGE_SIZE = 20;

export interface SellerApi {
  listOwnProducts(cursor?: string | null): Promise<SellerProductPage>;
  createProduct(input: NewProductInput): Promise<ProductDetail>;
  updateProduct(id: string, patch: ProductPatch): Promise<ProductDetail>;
  deleteProduct(id: string): Promise<void>;
  setStock(productId: string, sku: string, available: number): Promise<StockLevel>;
  startImport(file: File): Promise<ImportJob>;
  listImports(): Promise<ImportJob[]>;
  getImport(id: string): Promise<ImportJob>;
}

export function createSellerApi(http: HttpClient): SellerApi {
  const product = (id: string) => `/api/products/${encodeURIComponent(id)}` as const;
  return {
    listOwnProducts: (cursor) =>
      http.get('/api/seller/products', { query: { limit: SELLER_PAGE_SIZE, cursor: cursor ?? undefined } }),
    createProduct: (input) => http.send('POST', '/api/products', { json: input }),
    updateProduct: (id, patch) => http.send('PATCH', product(id), { json: patch }),
    deleteProduct: async (id) => {
      await http.send('DELETE', product(id));
    },
    setStock: (productId, sku, available) =>
      http.send('PUT', `${product(productId)}/variants/${encodeURIComponent(sku)}/stock`, {
        json: { available },
      }),
    startImport: (file) =>
      http.send('POST', '/api/seller/imports', {
        body: file,
        headers: { 'content-type': 'text/csv', 'x-file-name': headerSafeFileName(file.name) },
      }),
    async listImports() {
      const { items } = await http.get('/api/seller/imports');
      return items;
    },
    getImport: (id) => http.get(`/api/seller/imports/${encodeURIComponent(id)}`),
  };
}

/** HTTP header values must be Latin-1, so names like `商品.csv` travel percent-encoded. */
function headerSafeFileName(name: string): string {
  return /^[\x20-\x7e]*$/.test(name) ? name : encodeURIComponent(name);
}
