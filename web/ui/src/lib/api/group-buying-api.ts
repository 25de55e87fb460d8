import type { HttpClient } from './http-client';
import type { GroupDeal, GroupDealInput, GroupPage, ManagedGroupDeal, ProductGroupDeals } from './wire';

/**
 * Group buying (拼团): a product's offer and open groups, a group's page, and the seller's deals.
 * Starting or joining a group is a checkout (`groupBuy` on `POST /api/checkout`).
 */
export interface GroupBuyingApi {
  forProduct(productId: string, signal?: AbortSignal): Promise<ProductGroupDeals>;
  group(groupId: string, signal?: AbortSignal): Promise<GroupPage>;
  /** The seller's deals (every deal for admins). */
  managed(signal?: AbortSignal): Promise<ManagedGroupDeal[]>;
  create(input: GroupDealInput): Promise<GroupDeal>;
  end(dealId: string): Promise<GroupDeal>;
}

export function createGroupBuyingApi(http: HttpClient): GroupBuyingApi {
  return {
    forProduct: (productId, signal) =>
      http.get(`/api/products/${encodeURIComponent(productId)}/group-deals`, { signal }),
    group: (groupId, signal) => http.get(`/api/groups/${encodeURIComponent(groupId)}`, { signal }),
    managed: async (signal) => (await http.get('/api/seller/group-deals', { signal })).items,
    create: (input) => http.send('POST', '/api/seller/group-deals', { json: input }),
    end: (dealId) => http.send('POST', `/api/seller/group-deals/${encodeURIComponent(dealId)}/end`),
  };
}
