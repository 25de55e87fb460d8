import type { HttpClient } from './http-client';
import type { CommissionRuleInput, PayoutAccountInput } from './wire';

/**
 * Marketplace money: a seller's own finance (balance, entries, payouts, statements, payout account) and
 * the admin's commission rules and finance overview.
 */
export function createFinanceApi(http: HttpClient) {
  return {
    summary: (signal?: AbortSignal) => http.get('/api/seller/finance', { signal }),
    entries: (before: number | null, signal?: AbortSignal) =>
      http.get('/api/seller/finance/entries', { query: { limit: 50, before: before ?? undefined }, signal }),
    payouts: (signal?: AbortSignal) => http.get('/api/seller/finance/payouts', { signal }),
    requestPayout: (amount: number | null, key: string) =>
      http.send('POST', '/api/seller/finance/payouts', {
        json: { amount },
        headers: { 'idempotency-key': key },
      }),
    setAccount: (input: PayoutAccountInput) =>
      http.send('PUT', '/api/seller/finance/account', { json: input }),
    statement: (month: string, signal?: AbortSignal) =>
      http.get(`/api/seller/finance/statements/${encodeURIComponent(month)}`, { signal }),
    statementCsvUrl: (month: string) => `/api/seller/finance/statements/${encodeURIComponent(month)}/csv`,

    rules: (signal?: AbortSignal) => http.get('/api/admin/commission-rules', { signal }),
    createRule: (input: CommissionRuleInput) =>
      http.send('POST', '/api/admin/commission-rules', { json: input }),
    updateRule: (id: string, input: CommissionRuleInput) =>
      http.send('PUT', `/api/admin/commission-rules/${encodeURIComponent(id)}`, { json: input }),
    removeRule: (id: string) => http.send('DELETE', `/api/admin/commission-rules/${encodeURIComponent(id)}`),
    preview: (q: { amount: number; categoryId?: string; shopId?: string; productId?: string }) =>
      http.get('/api/admin/commission-preview', { query: q }),
    overview: (signal?: AbortSignal) => http.get('/api/admin/finance', { signal }),
    retryPayout: (id: string, reason: string) =>
      http.send('POST', `/api/admin/finance/payouts/${encodeURIComponent(id)}/retry`, { json: { reason } }),
    reconcile: (day: string) => http.send('POST', `/api/admin/finance/reconcile/${encodeURIComponent(day)}`),
  };
}

export type FinanceApi = ReturnType<typeof createFinanceApi>;
