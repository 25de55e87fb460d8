import type {
  AccountMailType,
  Locale,
  NotificationParams,
  NotificationType,
  RenderedNotification,
} from './types';

/**
 * The words of every notification and account mail, in Chinese and English. A template turns the
 * notification's display fields into a title, a body and an in-app link; email and SMS are built from
 * those (`render`), so the channels never say different things.
 */
interface Template {
  title: (p: Params) => string;
  body: (p: Params) => string;
  link: (p: Params) => string | null;
}

type Params = { [key: string]: string | number | null } & { money: (key: string) => string };

const yuan = (fen: number | string | null, locale: Locale) => {
  const amount = (Number(fen ?? 0) / 100).toFixed(2);
  return locale === 'zh' ? `¥${amount}` : `CNY ${amount}`;
};

const orderLink = (p: Params) => `/orders/${p.orderId}`;
const productLink = (p: Params) => `/p/${p.productId}`;

const TEMPLATES: Record<NotificationType, Record<Locale, Template>> = {
  order_paid: {
    en: {
      title: (p) => `Order ${p.orderNumber} is paid`,
      body: (p) =>
        `We received ${p.money('total')} for ${p.firstItem} from ${p.shopName}. The shop will ship it soon.`,
      link: orderLink,
    },
    zh: {
      title: (p) => `订单 ${p.orderNumber} 已付款`,
      body: (p) =>
        `已收到您在 ${p.shopName} 购买 ${p.firstItem} 的货款 ${p.money('total')}，商家将尽快发货。`,
      link: orderLink,
    },
  },
  order_shipped: {
    en: {
      title: (p) => `Order ${p.orderNumber} has shipped`,
      body: (p) => `${p.shopName} sent ${p.firstItem} on its way.`,
      link: orderLink,
    },
    zh: {
      title: (p) => `订单 ${p.orderNumber} 已发货`,
      body: (p) => `${p.shopName} 已发出您的 ${p.firstItem}。`,
      link: orderLink,
    },
  },
  order_out_for_delivery: {
    en: {
      title: (p) => `Order ${p.orderNumber} is out for delivery`,
      body: () => `The courier has your parcel and is on the way. Follow them live on the order page.`,
      link: orderLink,
    },
    zh: {
      title: (p) => `订单 ${p.orderNumber} 正在派送`,
      body: () => `快递员已取件，正在为您派送，可在订单页实时查看位置。`,
      link: orderLink,
    },
  },
  order_delivered: {
    en: {
      title: (p) => `Order ${p.orderNumber} was delivered`,
      body: (p) => `${p.firstItem} has arrived. Enjoy it, and tell others what you think with a review.`,
      link: orderLink,
    },
    zh: {
      title: (p) => `订单 ${p.orderNumber} 已送达`,
      body: (p) => `您的 ${p.firstItem} 已送达，欢迎评价。`,
      link: orderLink,
    },
  },
  order_refunded: {
    en: {
      title: (p) => `Refund for order ${p.orderNumber}`,
      body: (p) => `${p.money('refunded')} is on its way back to you.`,
      link: orderLink,
    },
    zh: {
      title: (p) => `订单 ${p.orderNumber} 已退款`,
      body: (p) => `${p.money('refunded')} 已原路退回。`,
      link: orderLink,
    },
  },
  aftersales_updated: {
    en: {
      title: (p) => `After-sales request for order ${p.orderNumber}: ${p.statusText ?? p.status}`,
      body: (p) => `Your request is now “${p.statusText ?? p.status}”.${p.note ? ` ${p.note}` : ''}`,
      link: orderLink,
    },
    zh: {
      title: (p) => `订单 ${p.orderNumber} 售后进度：${p.statusTextZh ?? p.status}`,
      body: (p) => `您的售后申请状态为“${p.statusTextZh ?? p.status}”。${p.note ?? ''}`,
      link: orderLink,
    },
  },
  payout_sent: {
    en: {
      title: (p) => `Payout of ${p.money('amount')} sent`,
      body: (p) => `We paid ${p.money('amount')} to your account for ${p.orderCount ?? 'your'} orders.`,
      link: () => '/seller',
    },
    zh: {
      title: (p) => `结算款 ${p.money('amount')} 已打款`,
      body: (p) => `${p.orderCount ?? ''} 笔订单的结算款 ${p.money('amount')} 已打入您的账户。`,
      link: () => '/seller',
    },
  },
  seller_application_decided: {
    en: {
      title: (p) =>
        p.decision === 'approved'
          ? 'Your shop is approved'
          : p.decision === 'changes_requested'
            ? 'Your seller application needs changes'
            : 'Your seller application was declined',
      body: (p) =>
        p.decision === 'approved'
          ? `${p.shopName} can now sell on Bazaar.`
          : `${p.shopName}: ${p.reason ?? 'see the seller page for details'}.`,
      link: () => '/seller',
    },
    zh: {
      title: (p) =>
        p.decision === 'approved'
          ? '您的店铺已通过审核'
          : p.decision === 'changes_requested'
            ? '您的入驻申请需要补充修改'
            : '您的入驻申请未通过',
      body: (p) =>
        p.decision === 'approved'
          ? `${p.shopName} 现在可以开店售卖了。`
          : `${p.shopName}：${p.reason ?? '详情见卖家中心'}。`,
      link: () => '/seller',
    },
  },
  price_dropped: {
    en: {
      title: (p) => `Price drop: ${p.productName}`,
      body: (p) => `${p.productName} you saved is now ${p.money('newPrice')} (was ${p.money('oldPrice')}).`,
      link: productLink,
    },
    zh: {
      title: (p) => `降价提醒：${p.productNameZh ?? p.productName}`,
      body: (p) =>
        `您收藏的 ${p.productNameZh ?? p.productName} 现价 ${p.money('newPrice')}（原价 ${p.money('oldPrice')}）。`,
      link: productLink,
    },
  },
  back_in_stock: {
    en: {
      title: (p) => `Back in stock: ${p.productName}`,
      body: (p) => `${p.productName} you saved is available again.`,
      link: productLink,
    },
    zh: {
      title: (p) => `到货提醒：${p.productNameZh ?? p.productName}`,
      body: (p) => `您收藏的 ${p.productNameZh ?? p.productName} 已重新有货。`,
      link: productLink,
    },
  },
};

const ACCOUNT_MAILS: Record<AccountMailType, Record<Locale, Template & { action: string }>> = {
  password_reset: {
    en: {
      title: () => 'Reset your Bazaar password',
      body: (p) =>
        `Someone (hopefully you) asked to reset the password of this account. The link works once, for ${p.minutes} minutes. If it was not you, ignore this mail: your password stays as it is.`,
      link: (p) => String(p.url),
      action: 'Choose a new password',
    },
    zh: {
      title: () => '重置您的集市密码',
      body: (p) =>
        `有人（希望是您）申请重置此账户的密码。链接仅可使用一次，${p.minutes} 分钟内有效。如非本人操作，请忽略此邮件，您的密码不会改变。`,
      link: (p) => String(p.url),
      action: '设置新密码',
    },
  },
  email_verification: {
    en: {
      title: () => 'Confirm your email address',
      body: () => 'Open the link to confirm that this address is yours.',
      link: (p) => String(p.url),
      action: 'Confirm my address',
    },
    zh: {
      title: () => '请验证您的邮箱',
      body: () => '请打开链接，确认此邮箱地址属于您。',
      link: (p) => String(p.url),
      action: '验证邮箱',
    },
  },
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function withMoney(params: NotificationParams, locale: Locale): Params {
  return Object.assign({ ...params }, { money: (key: string) => yuan(params[key] ?? 0, locale) }) as Params;
}

function emailHtml(title: string, body: string, link: string | null, action: string): string {
  const button = link
    ? `<p><a href="${escapeHtml(link)}" style="display:inline-block;padding:10px 18px;background:#c2410c;color:#fff;border-radius:6px;text-decoration:none">${escapeHtml(action)}</a></p><p style="color:#666;font-size:12px">${escapeHtml(link)}</p>`
    : '';
  return `<!doctype html><html><body style="font-family:system-ui,sans-serif;max-width:560px;margin:auto"><h2>${escapeHtml(title)}</h2><p>${escapeHtml(body)}</p>${button}<hr><p style="color:#888;font-size:12px">Bazaar 集市</p></body></html>`;
}

/** Renders a notification in `locale`; `baseUrl` makes the in-app link absolute for email and SMS. */
export function renderNotification(
  type: NotificationType,
  params: NotificationParams,
  locale: Locale,
  baseUrl: string,
): RenderedNotification {
  const template = TEMPLATES[type][locale];
  const p = withMoney(params, locale);
  const title = template.title(p);
  const body = template.body(p);
  const link = template.link(p);
  const absolute = link ? new URL(link, baseUrl).href : null;
  const action = locale === 'zh' ? '查看详情' : 'Open in Bazaar';
  return {
    title,
    body,
    link,
    email: {
      subject: title,
      text: `${title}\n\n${body}${absolute ? `\n\n${absolute}` : ''}\n\n— Bazaar 集市`,
      html: emailHtml(title, body, absolute, action),
    },
    sms: `【集市 Bazaar】${title}${absolute ? ` ${absolute}` : ''}`,
  };
}

/** Renders an account mail (its `url` param is already absolute). */
export function renderAccountMail(
  type: AccountMailType,
  params: NotificationParams,
  locale: Locale,
): { subject: string; text: string; html: string } {
  const template = ACCOUNT_MAILS[type][locale];
  const p = withMoney(params, locale);
  const title = template.title(p);
  const body = template.body(p);
  const link = template.link(p);
  return {
    subject: title,
    text: `${title}\n\n${body}\n\n${template.action}: ${link}\n\n— Bazaar 集市`,
    html: emailHtml(title, body, link, template.action),
  };
}
