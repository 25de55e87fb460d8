import { PLATFORM, type AnalyticsTableName, type Comparison, type DateRange } from './types';
import type { createReports } from './reports';

type Reports = ReturnType<typeof createReports>;

/** A cell is a number (money in fen, counts, percents) or text. */
export interface AnalyticsTable {
  name: AnalyticsTableName;
  columns: string[];
  rows: Array<Array<string | number>>;
}

const TABLE_LIMIT = 100;

export async function analyticsTable(
  reports: Reports,
  scope: string,
  range: DateRange,
  comparison: Comparison,
  name: AnalyticsTableName,
): Promise<AnalyticsTable> {
  const ranked = async (kind: Parameters<Reports['ranked']>[2], metric: string, columns: string[]) => {
    const rows = await reports.ranked(scope, range, kind, metric, TABLE_LIMIT);
    return {
      name,
      columns: ['key', 'label', ...columns],
      rows: rows.map((r) => [r.key, r.label, ...columns.map((c) => r.values[c] ?? 0)]),
    };
  };
  switch (name) {
    case 'daily':
    case 'hours':
    case 'funnel': {
      const o = await reports.overview(scope, range, comparison);
      if (name === 'daily') {
        return {
          name,
          columns: [
            'day',
            'netSales',
            'paid',
            'orders',
            'refunds',
            'visitors',
            'previousDay',
            'previousNetSales',
            'previousOrders',
          ],
          rows: o.daily.map((d, i) => {
            const p = o.previousDaily[i];
            return [
              d.day,
              d.netSales,
              d.paid,
              d.orders,
              d.refunds,
              d.visitors,
              p?.day ?? '',
              p?.netSales ?? 0,
              p?.orders ?? 0,
            ];
          }),
        };
      }
      if (name === 'hours')
        return {
          name,
          columns: ['hour', 'orders', 'paid'],
          rows: o.byHour.map((h) => [h.hour, h.orders, h.paid]),
        };
      return {
        name,
        columns: ['step', 'count', 'dropOffPct'],
        rows: o.funnel.map((f) => [f.step, f.count, f.dropOffPct ?? '']),
      };
    }
    case 'products':
      return ranked('products', 'revenue', ['revenue', 'units', 'orders', 'views', 'cartAdds']);
    case 'categories':
      return ranked('categories', 'revenue', ['revenue', 'orders']);
    case 'cities':
      return ranked('cities', 'revenue', ['revenue', 'orders']);
    case 'coupons':
      return ranked('coupons', 'orders', ['orders', 'discount', 'paid']);
    case 'searches':
      return ranked('searches', scope === PLATFORM ? 'count' : 'clicks', ['count', 'noResults', 'clicks']);
    case 'no-result-searches':
      return ranked('searches', 'noResults', ['noResults', 'count']);
    case 'shops':
      return ranked('shops', 'paid', ['paid', 'orders']);
  }
}
