import { describe, expect, it } from 'vitest';
import { findContacts } from './contacts';

const kinds = (text: string) => findContacts(text).map((f) => f.kind);

describe('findContacts', () => {
  it.each([
    ['13800138000', '13800138000'],
    ['咨询电话 138 0013 8000', '138 0013 8000'],
    ['call 138-0013-8000 now', '138-0013-8000'],
    ['+86 139 1234 5678', '+86 139 1234 5678'],
    ['+8615912345678', '+8615912345678'],
    ['0086-18612345678', '0086-18612345678'],
    ['订购热线:17712345678!', '17712345678'],
  ])('finds the Chinese mobile number in %j', (text, match) => {
    expect(findContacts(text)).toContainEqual({ kind: 'phone', text: match });
  });

  it.each([
    ['座机 010-62345678', '010-62345678'],
    ['(021) 6234 5678', '(021) 6234 5678'],
    ['0755-2345678', '0755-2345678'],
    ['客服 400-820-8820', '400-820-8820'],
    ['Tel: +44 20 7946 0958', '+44 20 7946 0958'],
    ['phone 5551234567', 'phone 5551234567'],
  ])('finds the landline or service number in %j', (text, match) => {
    expect(findContacts(text)).toContainEqual({ kind: 'phone', text: match });
  });

  it('reads full-width digits and colons as their ASCII forms', () => {
    expect(findContacts('手机：１３８００１３８０００')).toContainEqual({
      kind: 'phone',
      text: '13800138000',
    });
    expect(findContacts('ＱＱ：１２３４５６７８')).toContainEqual({ kind: 'qq', text: 'QQ:12345678' });
  });

  it('reports a number matched by several patterns once', () => {
    expect(findContacts('+86 139 1234 5678').filter((f) => f.kind === 'phone')).toHaveLength(1);
    expect(findContacts('电话 13912345678').filter((f) => f.kind === 'phone')).toHaveLength(1);
  });

  it.each([
    ['visit https://shop.example.com/item?id=3', 'https://shop.example.com/item?id=3'],
    ['www.taobao.com', 'www.taobao.com'],
    ['WWW.MyShop.CN', 'WWW.MyShop.CN'],
    ['官网 abc-store.com.cn 见', 'abc-store.com.cn'],
    ['best-deals.shop', 'best-deals.shop'],
    ['http://192.168.1.5:8080/x', 'http://192.168.1.5:8080/x'],
  ])('finds the link in %j', (text, match) => {
    expect(findContacts(text)).toContainEqual({ kind: 'url', text: match });
  });

  it('reads user@host after a scheme as a link, not an e-mail', () => {
    expect(findContacts('https://shop@example.com')).toEqual([
      { kind: 'url', text: 'https://shop@example.com' },
    ]);
  });

  it('reports www.x.com once, not also as a bare domain', () => {
    expect(findContacts('www.example.com').filter((f) => f.kind === 'url')).toEqual([
      { kind: 'url', text: 'www.example.com' },
    ]);
  });

  it.each([
    ['mail sales@example.com', 'sales@example.com'],
    ['邮箱: zhang.san+shop@163.com', 'zhang.san+shop@163.com'],
    ['ORDERS@MY-SHOP.CN', 'ORDERS@MY-SHOP.CN'],
  ])('finds the e-mail address in %j and not its domain as a link', (text, match) => {
    const found = findContacts(text);
    expect(found).toContainEqual({ kind: 'email', text: match });
    expect(found.filter((f) => f.kind === 'url')).toEqual([]);
  });

  it.each([
    ['QQ 12345678', 'QQ 12345678'],
    ['qq:987654321', 'qq:987654321'],
    ['扣扣 55667788', '扣扣 55667788'],
    ['加Q群 123456789', 'Q群 123456789'],
    ['QQ号码：10001', 'QQ号码:10001'],
  ])('finds the QQ number in %j', (text, match) => {
    expect(findContacts(text)).toContainEqual({ kind: 'qq', text: match });
  });

  it.each([
    ['微信 shop_8888', '微信 shop_8888'],
    ['微信号：abc-123456', '微信号:abc-123456'],
    ['VX: Tony2024', 'VX: Tony2024'],
    ['加 wx zhang_san88', 'wx zhang_san88'],
    ['weixin lily-shop', 'weixin lily-shop'],
    ['WeChat: seller001', 'WeChat: seller001'],
    ['薇信 good_luck9', '薇信 good_luck9'],
    ['V信13912345678', 'V信13912345678'],
  ])('finds the WeChat id in %j', (text, match) => {
    expect(findContacts(text)).toContainEqual({ kind: 'wechat', text: match });
  });

  it('finds a phone number used as a WeChat id both ways', () => {
    expect(kinds('微信 13912345678').sort()).toEqual(['phone', 'wechat']);
  });

  it.each([
    '正品保证 假一赔十',
    'NEW ARRIVAL 2024',
    'Model X200 128GB 6.1 inch',
    '尺码 XL 胸围 108cm',
    '微信支付 支付宝',
    'Serial 20240315123456789',
    'SKU 1234567',
    '价格 ¥1299.00',
    'qq',
    'Wx',
    'box size 30x20x10cm',
    'v2.0 firmware',
    'index.html',
    'Made in China',
    '',
  ])('finds nothing in %j', (text) => {
    expect(findContacts(text)).toEqual([]);
  });

  it('finds every contact in a mixed banner', () => {
    const found = findContacts('联系 13800138000 / QQ 1234567 / 微信 shop_a1b2 / www.shop.cn / a@b.com');
    expect(found.map((f) => f.kind).sort()).toEqual(['email', 'phone', 'qq', 'url', 'wechat']);
  });
});
