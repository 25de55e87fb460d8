import type { HttpClient } from './http-client';
import type {
  AfterSalesEvidence,
  AfterSalesPage,
  AfterSalesRequest,
  AfterSalesStatus,
  OpenAfterSalesInput,
  OrderAfterSales,
} from './wire';

/** After-sales (售后): the buyer's requests, the seller's queue and support's escalations. */
export interface AfterSalesApi {
  forOrder(orderId: string): Promise<OrderAfterSales>;
  uploadEvidence(file: File): Promise<AfterSalesEvidence>;
  open(orderId: string, input: OpenAfterSalesInput): Promise<AfterSalesRequest>;
  get(id: string): Promise<AfterSalesRequest>;
  approve(id: string): Promise<AfterSalesRequest>;
  reject(id: string, reason: string): Promise<AfterSalesRequest>;
  ship(id: string, carrier: string, trackingNumber: string): Promise<AfterSalesRequest>;
  /** Books a courier to collect the return instead of shipping it (the buyer, once approved). */
  bookPickup(id: string): Promise<AfterSalesRequest>;
  receive(id: string, resellable: boolean): Promise<AfterSalesRequest>;
  escalate(id: string, note: string): Promise<AfterSalesRequest>;
  withdraw(id: string): Promise<AfterSalesRequest>;
  decide(id: string, outcome: 'approve' | 'close', note: string): Promise<AfterSalesRequest>;
  sellerQueue(status?: AfterSalesStatus | null, cursor?: string | null): Promise<AfterSalesPage>;
  escalations(cursor?: string | null): Promise<AfterSalesPage>;
}

export function createAfterSalesApi(http: HttpClient): AfterSalesApi {
  const request = (id: string) => `/api/aftersales/${encodeURIComponent(id)}` as const;
  return {
    forOrder: (orderId) => http.get(`/api/orders/${encodeURIComponent(orderId)}/aftersales`),
    uploadEvidence(file) {
      const body = new FormData();
      body.append('file', file, file.name);
      return http.send('POST', '/api/aftersales/evidence', { body });
    },
    open: (orderId, input) =>
      http.send('POST', `/api/orders/${encodeURIComponent(orderId)}/aftersales`, { json: input }),
    get: (id) => http.get(request(id)),
    approve: (id) => http.send('POST', `${request(id)}/approve`),
    reject: (id, reason) => http.send('POST', `${request(id)}/reject`, { json: { reason } }),
    ship: (id, carrier, trackingNumber) =>
      http.send('POST', `${request(id)}/ship`, { json: { carrier, trackingNumber } }),
    bookPickup: (id) => http.send('POST', `${request(id)}/pickup`),
    receive: (id, resellable) => http.send('POST', `${request(id)}/receive`, { json: { resellable } }),
    escalate: (id, note) => http.send('POST', `${request(id)}/escalate`, { json: { note } }),
    withdraw: (id) => http.send('POST', `${request(id)}/withdraw`),
    decide: (id, outcome, note) =>
      http.send('POST', `/api/support/aftersales/${encodeURIComponent(id)}/decide`, {
        json: { outcome, note },
      }),
    sellerQueue: (status, cursor) =>
      http.get('/api/seller/aftersales', {
        query: { status: status ?? undefined, cursor: cursor ?? undefined },
      }),
    escalations: (cursor) => http.get('/api/support/aftersales', { query: { cursor: cursor ?? undefined } }),
  };
}
