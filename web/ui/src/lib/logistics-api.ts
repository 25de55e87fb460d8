import { createHttpClient, type HttpClient } from './api/http-client';
import { useApp, type AppContext } from './app-context';
import type {
  Availability,
  CourierProfile,
  Delivery,
  DeliveryCounters,
  DeliveryStatus,
  DeliverySummary,
  LatLng,
  OpsAlert,
} from './api/wire';

export interface PositionFix extends LatLng {
  accuracy?: number | null;
  heading?: number | null;
  speedKmh?: number | null;
  at?: string;
}

/** Deliveries for shoppers, sellers and support, and the courier app's own calls. */
export interface LogisticsApi {
  /** Null while the order has no delivery yet (before the seller accepts it). */
  forOrder(orderId: string, signal?: AbortSignal): Promise<Delivery | null>;
  get(id: string, signal?: AbortSignal): Promise<Delivery>;
  collect(id: string, code: string): Promise<Delivery>;
  sellerDeliveries(
    query: { status?: DeliveryStatus; limit?: number },
    signal?: AbortSignal,
  ): Promise<DeliverySummary[]>;
  feed(
    query: { status?: DeliveryStatus; sellerId?: string; late?: boolean; limit?: number },
    signal?: AbortSignal,
  ): Promise<{ items: DeliverySummary[]; counters: DeliveryCounters }>;
  reassign(id: string, courierId?: string): Promise<Delivery>;
  cancel(id: string, reason: string): Promise<Delivery>;
  couriers(signal?: AbortSignal): Promise<CourierProfile[]>;
  alerts(limit?: number, signal?: AbortSignal): Promise<OpsAlert[]>;
  courier: {
    me(signal?: AbortSignal): Promise<CourierProfile>;
    setAvailability(availability: Availability): Promise<CourierProfile>;
    today(signal?: AbortSignal): Promise<DeliverySummary[]>;
    position(fix: PositionFix): Promise<void>;
    accept(id: string): Promise<Delivery>;
    decline(id: string, reason?: string): Promise<void>;
    step(
      id: string,
      step: 'picked-up' | 'in-transit' | 'failed-attempt' | 'return',
      note?: string,
    ): Promise<Delivery>;
    deliverWithCode(id: string, code: string): Promise<Delivery>;
    deliverWithPhoto(id: string, photo: Blob): Promise<Delivery>;
  };
}

export function createLogisticsApi(http: HttpClient): LogisticsApi {
  const enc = encodeURIComponent;
  const mine = (id: string) => `/api/courier/deliveries/${enc(id)}` as const;
  return {
    forOrder: (orderId, signal) => http.get(`/api/orders/${enc(orderId)}/delivery`, { signal }),
    get: (id, signal) => http.get(`/api/deliveries/${enc(id)}`, { signal }),
    collect: (id, code) => http.send('POST', `/api/deliveries/${enc(id)}/collect`, { json: { code } }),
    sellerDeliveries: async (query, signal) =>
      (
        await http.get('/api/seller/deliveries', {
          query: { ...query },
          signal,
        })
      ).items,
    feed: (query, signal) =>
      http.get('/api/support/deliveries', {
        query: { ...query, late: query.late === undefined ? undefined : String(query.late) },
        signal,
      }),
    reassign: (id, courierId) =>
      http.send('POST', `/api/support/deliveries/${enc(id)}/reassign`, {
        json: courierId ? { courierId } : {},
      }),
    cancel: (id, reason) =>
      http.send('POST', `/api/support/deliveries/${enc(id)}/cancel`, { json: { reason } }),
    couriers: async (signal) => (await http.get('/api/support/couriers', { signal })).items,
    alerts: async (limit = 50, signal) =>
      (await http.get('/api/support/alerts', { query: { limit }, signal })).items,
    courier: {
      me: (signal) => http.get('/api/courier/me', { signal }),
      setAvailability: (availability) =>
        http.send('PUT', '/api/courier/availability', { json: { availability } }),
      today: async (signal) => (await http.get('/api/courier/deliveries', { signal })).items,
      position: async (fix) => {
        await http.send('POST', '/api/courier/position', { json: fix });
      },
      accept: (id) => http.send('POST', `${mine(id)}/accept`),
      decline: async (id, reason = '') => {
        await http.send('POST', `${mine(id)}/decline`, { json: { reason } });
      },
      step: (id, step, note = '') => http.send('POST', `${mine(id)}/${step}`, { json: { note } }),
      deliverWithCode: (id, code) => http.send('POST', `${mine(id)}/deliver`, { json: { code } }),
      deliverWithPhoto: (id, photo) =>
        http.send('POST', `${mine(id)}/proof-photo`, {
          body: photo,
          headers: { 'content-type': photo.type || 'application/octet-stream' },
        }),
    },
  };
}

const apis = new WeakMap<AppContext, LogisticsApi>();

/** The logistics API on the app's session (its CSRF token), made once per app. */
export function useLogisticsApi(): LogisticsApi {
  const app = useApp();
  let api = apis.get(app);
  if (!api) {
    api = createLogisticsApi(
      createHttpClient({
        csrfToken: () => app.session.csrfToken(),
        refreshCsrfToken: () => app.session.refresh(),
      }),
    );
    apis.set(app, api);
  }
  return api;
}
