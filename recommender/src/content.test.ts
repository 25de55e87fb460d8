import { describe, expect, it } from 'vitest';
import { ContentIndex } from './content';
import { createRecommender } from './engine';
import { T0, event, item } from './test-fixtures';
import { itemTokens, textTokens } from './tokenize';

describe('content tokens', () => {
  it('split Chinese into character bigrams and fold English words', () => {
    expect(textTokens('无线蓝牙耳机 Wireless EARBUDS, 5.3')).toEqual([
      '无线',
      '线蓝',
      '蓝牙',
      '牙耳',
      '耳机',
      'wireless',
      'earbuds',
      '5',
      '3',
    ]);
    expect(textTokens('包 of the bag')).toEqual(['包', 'bag']);
  });

  it('add attributes, brand and every category of the path', () => {
    const tokens = itemTokens(
      item('x', { text: '', brand: 'Huawei', attributes: { Color: 'Black' }, categoryPath: ['e', 'phones'] }),
    );
    expect(tokens).toEqual(['attr:color=black', 'brand:huawei', 'cat:e', 'cat:phones']);
  });
});

describe('content similarity', () => {
  const catalog = [
    item('buds-zh', { text: '无线蓝牙耳机 降噪', categoryId: 'audio', brand: 'Sono' }),
    item('buds-2', { text: '蓝牙耳机 运动', categoryId: 'audio', brand: 'Sono' }),
    item('speaker', { text: '蓝牙音箱', categoryId: 'audio', brand: 'Other' }),
    item('dress', {
      text: 'summer dress',
      categoryId: 'dresses',
      categoryPath: ['fashion', 'dresses'],
      brand: 'Mode',
    }),
    item('dress-2', {
      text: 'linen summer dress',
      categoryId: 'dresses',
      categoryPath: ['fashion', 'dresses'],
      brand: 'Other',
      attributes: { material: 'linen' },
    }),
    item('shirt', {
      text: 'linen shirt',
      categoryId: 'shirts',
      categoryPath: ['fashion', 'shirts'],
      brand: 'Other',
      attributes: { material: 'linen' },
    }),
  ];

  it('ranks by TF-IDF cosine over text, attributes, brand and category', () => {
    const index = new ContentIndex();
    catalog.forEach((info, i) => index.set(i, itemTokens(info)));
    const ids = (i: number) => index.similar(i, 5, () => true).map((s) => catalog[s.index]!.id);
    expect(ids(0).slice(0, 2)).toEqual(['buds-2', 'speaker']);
    expect(ids(3)[0]).toBe('dress-2');
    expect(ids(5)[0]).toBe('dress-2');
    expect(index.similarity(0, 1)).toBeCloseTo(index.similarity(1, 0), 6);
    expect(index.similarity(0, 3)).toBe(0);
  });

  it('follows updates and removals', () => {
    const index = new ContentIndex();
    catalog.forEach((info, i) => index.set(i, itemTokens(info)));
    const moved = {
      text: 'summer dress',
      brand: 'Mode',
      categoryId: 'dresses',
      categoryPath: ['fashion', 'dresses'],
    };
    index.set(1, itemTokens({ ...catalog[1]!, ...moved }));
    expect(index.similar(0, 5, () => true).map((s) => s.index)).not.toContain(1);
    expect(index.similar(3, 1, () => true).map((s) => s.index)).toEqual([1]);
    index.remove(1);
    expect(index.similar(3, 5, () => true).map((s) => s.index)).not.toContain(1);
    expect(index.size).toBe(catalog.length - 1);
  });

  it('is what similar() offers for a new item, and gives way to co-views as history grows', () => {
    const rec = createRecommender();
    for (const info of catalog) rec.upsertItem(info);
    expect(rec.similar('buds-zh', { now: T0, limit: 2 }).map((s) => s.itemId)).toEqual(['buds-2', 'speaker']);
    // Shoppers keep looking at the earbuds together with the linen shirt.
    for (let i = 0; i < 50; i++) {
      rec.record(event(`a${i}`, 'buds-zh', T0));
      rec.record(event(`a${i}`, 'shirt', T0 + 1));
    }
    expect(rec.similar('buds-zh', { now: T0, limit: 2 })[0]!.itemId).toBe('shirt');
    rec.upsertItem({ ...catalog[5]!, available: false });
    expect(rec.similar('buds-zh', { now: T0, limit: 5 }).map((s) => s.itemId)).not.toContain('shirt');
  });
});
