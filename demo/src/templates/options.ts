import type { VariantAxis } from '../types';

/** Variant axes several departments share. Option syntax: "English*priceFactor|中文". */

export const BASIC_COLOURS: VariantAxis = {
  key: 'color',
  options: [
    'Black|黑色',
    'White|白色',
    'Grey|灰色',
    'Navy|藏青色',
    'Blue|蓝色',
    'Red|红色',
    'Pink|粉色',
    'Green|绿色',
  ],
};

export const APPAREL_COLOURS: VariantAxis = {
  key: 'color',
  options: [
    'Black|黑色',
    'White|白色',
    'Heather Grey|麻灰色',
    'Navy|藏青色',
    'Khaki|卡其色',
    'Beige|米色',
    'Olive|军绿色',
    'Burgundy|酒红色',
    'Sky Blue|天蓝色',
  ],
};

export const TECH_COLOURS: VariantAxis = {
  key: 'color',
  options: [
    'Midnight Black|午夜黑',
    'Starlight White|星光白',
    'Glacier Blue|冰川蓝',
    'Titanium Grey|钛空灰',
    'Sage Green|青山绿',
    'Lavender|薰衣草紫',
  ],
};

export const APPLIANCE_COLOURS: VariantAxis = {
  key: 'color',
  options: ['White|白色', 'Silver|银色', 'Graphite|石墨灰', 'Champagne Gold*1.05|香槟金'],
  max: 2,
};

export const APPAREL_SIZES: VariantAxis = {
  key: 'size',
  options: ['S', 'M', 'L', 'XL*1.04', 'XXL*1.08', '3XL*1.12'],
};

export const SHOE_SIZES: VariantAxis = {
  key: 'size',
  options: ['36', '37', '38', '39', '40', '41', '42', '43', '44*1.03', '45*1.05'],
};

export const PACKS: VariantAxis = {
  key: 'pack',
  options: ['Single|单件装', '2-Pack*1.85|两件装', '3-Pack*2.6|三件装'],
  max: 3,
};
