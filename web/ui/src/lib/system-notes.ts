import type { Lang } from './i18n/i18n.svelte';

/**
 * The notes the system itself writes on order and delivery timelines (core's flows, checkout and
 * logistics write them in English, e.g. `Picked up by ${courierName}`), in Chinese. Notes people write
 * (a seller's cancel reason) are shown as written; so is a system note not listed here. When a flow's
 * note changes, its line here changes with it.
 */
const PAYMENT_METHODS: Record<string, string> = {
  alipay: '支付宝',
  wechat: '微信支付',
  card: '银行卡',
  sandbox: '沙盒支付',
};

const NOTES: [RegExp, (...parts: string[]) => string][] = [
  [/^Paid with (\w+)$/, (method) => `已通过${PAYMENT_METHODS[method] ?? method}付款`],
  [/^Payment arrived after the order expired$/, () => '付款晚于订单过期时间，已原路退回'],
  [/^Courier delivery from (.+)$/, (shop) => `由${shop}发出，骑手配送`],
  [/^Self-pickup at (.+)$/, (place) => `到店自提：${place}`],
  [/^Ready for pickup at (.+)$/, (place) => `已到自提点：${place}`],
  [/^Picked up by the courier$/, () => '骑手已取件'],
  [/^Picked up by (.+)$/, (courier) => `骑手${courier}已取件`],
  [/^Delivered \(proof: photo\)$/, () => '已送达（拍照签收）'],
  [/^Delivered \(proof: code\)$/, () => '已送达（取件码签收）'],
  [/^Delivered \(proof: (.+)\)$/, (kind) => `已送达（签收方式：${kind}）`],
  [/^Collected at the pickup point$/, () => '已在自提点取货'],
  [/^Marked delivered on the order$/, () => '订单已标记为送达'],
  [/^Order cancelled$/, () => '订单已取消'],
  [/^Order refunded$/, () => '订单已退款'],
  [/^Shipped by the seller with (.+) (\S+)$/, (carrier, number) => `卖家已自行发货：${carrier} ${number}`],
  [/^Shipped by the seller$/, () => '卖家已自行发货'],
  [/^No answer in time$/, () => '骑手未及时响应'],
  [/^Not paid in time$/, () => '超时未支付'],
  [/^Checkout expired$/, () => '结算已过期'],
  [/^Coupon no longer available$/, () => '优惠券已不可用'],
  [/^Points no longer available$/, () => '积分已不可用'],
  [/^Not enough stock at checkout$/, () => '结算时库存不足'],
  [/^Courier pickup booked at (.+)$/, (place) => `已预约上门取件：${place}`],
  [/^Courier pickup cancelled$/, () => '上门取件已取消'],
  [/^Courier pickup cancelled: (.+)$/, (why) => `上门取件已取消：${why}`],
  [/^The buyer withdrew the return$/, () => '买家已撤销退货'],
];

/** Carriers the seller centre offers, stored by their English names. */
const CARRIERS: Record<string, string> = {
  'SF Express': '顺丰速运',
  'JD Logistics': '京东物流',
  'ZTO Express': '中通快递',
  'YTO Express': '圆通速递',
  EMS: '中国邮政 EMS',
};

export function carrierName(carrier: string, lang: Lang): string {
  return lang === 'zh' ? (CARRIERS[carrier] ?? carrier) : carrier;
}

/** A timeline note in the page's language when the system wrote it; as written otherwise. */
export function systemNote(note: string, lang: Lang): string {
  if (lang !== 'zh' || !note) return note;
  for (const [pattern, zh] of NOTES) {
    const match = pattern.exec(note);
    if (match) return zh(...match.slice(1).map((part) => carrierName(part, lang)));
  }
  return note;
}
