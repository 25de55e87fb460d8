/**
 * Variant attribute keys are plain English identifiers (`color`, `size`); these are their display names.
 * Keys not listed are shown as written, capitalised.
 */
const names: Record<string, { en: string; zh: string }> = {
  color: { en: 'Colour', zh: '颜色' },
  colour: { en: 'Colour', zh: '颜色' },
  size: { en: 'Size', zh: '尺码' },
  pack: { en: 'Pack', zh: '包装' },
  edition: { en: 'Edition', zh: '版本' },
  shade: { en: 'Shade', zh: '色号' },
  format: { en: 'Format', zh: '形式' },
  weight: { en: 'Weight', zh: '重量' },
  volume: { en: 'Volume', zh: '容量' },
  capacity: { en: 'Capacity', zh: '容量' },
  storage: { en: 'Storage', zh: '存储容量' },
  memory: { en: 'Memory', zh: '内存' },
  switch: { en: 'Switch', zh: '轴体' },
  service: { en: 'Service', zh: '服务' },
  length: { en: 'Length', zh: '长度' },
  height: { en: 'Height', zh: '高度' },
  grind: { en: 'Grind', zh: '研磨度' },
  flavor: { en: 'Flavour', zh: '口味' },
  flavour: { en: 'Flavour', zh: '口味' },
  style: { en: 'Style', zh: '款式' },
  material: { en: 'Material', zh: '材质' },
  model: { en: 'Model', zh: '型号' },
};

export function attributeName(key: string, lang: 'en' | 'zh'): string {
  return names[key.toLowerCase()]?.[lang] ?? key.charAt(0).toUpperCase() + key.slice(1);
}
