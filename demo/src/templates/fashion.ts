import type { LeafTemplate } from '../types';
import { APPAREL_COLOURS, APPAREL_SIZES, SHOE_SIZES } from './options';

const WOMENS_SIZES = { key: 'size', options: ['XS', 'S', 'M', 'L', 'XL*1.04'] };

/** Fashion: clothing, shoes and bags. */
export const FASHION_TEMPLATES: Record<string, LeafTemplate> = {
  dresses: {
    weight: 1.2,
    brands: ['UR', 'Peacebird|太平鸟', 'ONLY', 'VERO MODA', 'Ochirly|欧时力', 'Eifini|伊芙丽', 'MO&Co.'],
    kinds: [
      {
        nouns: ['Dress|连衣裙', 'Midi Dress|中长款连衣裙', 'Shirt Dress|衬衫裙', 'Slip Dress|吊带裙'],
        adjectives: [
          'Floral|碎花',
          'Pleated|百褶',
          'Knitted|针织',
          'Linen|亚麻',
          'Satin|缎面',
          'French-Style|法式',
          'A-Line|A字',
        ],
      },
    ],
    audiences: ["Women's|女士"],
    specs: ['2025 Spring|2025春季新款', '2025 Summer|2025夏季新款', '2025 Autumn|2025秋季新款'],
    features: [
      'a flattering cinched waist|收腰显瘦',
      'soft, breathable fabric|面料柔软透气',
      'a fully lined skirt|内衬防走光',
      'hidden side pockets|隐形侧袋',
    ],
    uses: ['the office, dates and weekends|通勤、约会与周末'],
    price: [159, 899],
    axes: [
      {
        key: 'color',
        options: [
          'Black|黑色',
          'Cream|奶白色',
          'Dusty Pink|豆沙粉',
          'Sky Blue|天蓝色',
          'Floral Print|碎花印花',
        ],
      },
      WOMENS_SIZES,
    ],
  },
  'womens-tops': {
    brands: ['UNIQLO|优衣库', 'Peacebird|太平鸟', 'ONLY', 'Semir|森马', 'Handu|韩都衣舍', 'ZARA'],
    kinds: [
      {
        nouns: ['T-Shirt|T恤', 'Blouse|衬衫', 'Cardigan|开衫', 'Sweater|毛衣'],
        adjectives: [
          'Cropped|短款',
          'Oversized|宽松',
          'Cotton|纯棉',
          'Silk|真丝',
          'Ribbed|罗纹',
          'Cashmere-Blend|羊绒混纺',
        ],
      },
    ],
    audiences: ["Women's|女士"],
    features: [
      'a relaxed, easy fit|版型宽松舒适',
      'pre-shrunk cotton|预缩棉不易变形',
      'a drop-shoulder cut|落肩设计',
      'fabric that does not pill|不易起球',
    ],
    uses: ['layering through the seasons|四季叠穿'],
    price: [59, 499],
    axes: [APPAREL_COLOURS, WOMENS_SIZES],
  },
  'mens-tshirts': {
    weight: 1.2,
    brands: [
      'UNIQLO|优衣库',
      'HLA|海澜之家',
      'Jack & Jones|杰克琼斯',
      'Semir|森马',
      'Li-Ning|李宁',
      'Bosideng|波司登',
    ],
    kinds: [
      {
        nouns: ['T-Shirt|T恤', 'Polo Shirt|POLO衫', 'Long-Sleeve T-Shirt|长袖T恤'],
        adjectives: [
          'Crew-Neck|圆领',
          'Heavyweight|重磅',
          'Pima Cotton|匹马棉',
          'Ice-Silk|冰丝',
          'Quick-Dry|速干',
        ],
      },
    ],
    audiences: ["Men's|男士"],
    features: [
      'a 240g heavyweight cotton jersey|240g重磅纯棉',
      'a collar that keeps its shape|领口不易变形',
      'a regular fit|标准版型',
      'cool-touch fabric|凉感面料',
    ],
    uses: ['everyday wear|日常穿搭'],
    price: [39, 299],
    axes: [APPAREL_COLOURS, APPAREL_SIZES],
  },
  'mens-jackets': {
    brands: [
      'Bosideng|波司登',
      'JNBY|江南布衣',
      'Jack & Jones|杰克琼斯',
      'HLA|海澜之家',
      'Septwolves|七匹狼',
      'GXG',
    ],
    kinds: [
      {
        nouns: ['Down Jacket|羽绒服', 'Puffer Jacket|棉服'],
        adjectives: ['Hooded|连帽', 'Lightweight|轻薄', 'Goose-Down|鹅绒'],
        price: [399, 2499],
      },
      {
        nouns: ['Bomber Jacket|夹克', 'Trench Coat|风衣', 'Wool Coat|羊毛大衣'],
        adjectives: ['Slim-Fit|修身', 'Water-Repellent|防泼水', 'Double-Breasted|双排扣'],
      },
    ],
    audiences: ["Men's|男士"],
    features: [
      'a windproof outer shell|防风外层面料',
      'a detachable hood|可拆卸帽子',
      'zipped inner pockets|内置拉链口袋',
      'seams that keep the warmth in|锁温走线',
    ],
    uses: ['autumn and winter commutes|秋冬通勤'],
    price: [299, 1599],
    axes: [
      { key: 'color', options: ['Black|黑色', 'Navy|藏青色', 'Khaki|卡其色', 'Olive|军绿色'] },
      APPAREL_SIZES,
    ],
  },
  jeans: {
    brands: [
      "Levi's|李维斯",
      'Lee',
      'Semir|森马',
      'UNIQLO|优衣库',
      'Jack & Jones|杰克琼斯',
      'Peacebird|太平鸟',
    ],
    kinds: [
      {
        nouns: ['Jeans|牛仔裤'],
        adjectives: [
          'Slim-Fit|修身',
          'Straight-Leg|直筒',
          'Wide-Leg|阔腿',
          'Tapered|锥形',
          'Stretch|弹力',
          'High-Rise|高腰',
        ],
      },
    ],
    audiences: ["Men's|男士", "Women's|女士"],
    features: [
      'stretch denim that moves with you|弹力牛仔面料',
      'a classic five-pocket design|经典五袋款',
      'a vintage wash|复古水洗',
      'reinforced stitching|加固缝线',
    ],
    uses: ['every season|四季百搭'],
    price: [129, 699],
    axes: [
      { key: 'color', options: ['Light Blue|浅蓝色', 'Mid Blue|中蓝色', 'Dark Indigo|深蓝色', 'Black|黑色'] },
      { key: 'size', options: ['28', '29', '30', '31', '32', '33', '34*1.04', '36*1.06'] },
    ],
  },
  'casual-shoes': {
    weight: 1.2,
    brands: ['Feiyue|飞跃', 'Warrior|回力', 'Converse|匡威', 'Vans', 'Skechers|斯凯奇'],
    kinds: [
      {
        nouns: ['Canvas Sneakers|帆布鞋', 'White Sneakers|小白鞋', 'Skate Shoes|板鞋'],
        adjectives: ['Classic|经典', 'High-Top|高帮', 'Low-Top|低帮', 'Platform|厚底'],
      },
      {
        nouns: ['Loafers|乐福鞋', 'Leather Shoes|皮鞋'],
        brands: ['Belle|百丽', 'Red Dragonfly|红蜻蜓', 'Aokang|奥康', 'Clarks|其乐'],
        audiences: ["Men's|男士", "Women's|女士"],
        adjectives: ['Leather|真皮', 'Slip-On|一脚蹬', 'Business|商务'],
        price: [299, 1299],
      },
    ],
    audiences: ["Men's|男士", "Women's|女士", 'Unisex|男女同款'],
    features: [
      'a cushioned insole|缓震鞋垫',
      'a non-slip rubber outsole|防滑橡胶大底',
      'a breathable lining|透气内里',
      'easy-clean uppers|鞋面易清洁',
    ],
    uses: ['city walks and everyday wear|城市漫步和日常穿搭'],
    price: [69, 699],
    axes: [{ key: 'color', options: ['White|白色', 'Black|黑色', 'Beige|米色', 'Navy|藏青色'] }, SHOE_SIZES],
  },
  handbags: {
    brands: ['Coach|蔻驰', 'Michael Kors', 'Charles & Keith', 'Songmont|山下有松', 'Lily|丽丽', 'Judy|朱迪'],
    kinds: [
      {
        nouns: ['Tote Bag|托特包', 'Crossbody Bag|斜挎包', 'Shoulder Bag|单肩包', 'Bucket Bag|水桶包'],
        adjectives: ['Leather|真皮', 'Quilted|菱格', 'Mini|迷你', 'Large|大容量', 'Woven|编织'],
      },
    ],
    audiences: ["Women's|女士"],
    features: [
      'soft cowhide leather|柔软头层牛皮',
      'an adjustable detachable strap|可调节可拆卸肩带',
      'a zipped inner pocket|内置拉链袋',
      'gold-tone hardware|金色五金',
    ],
    uses: ['work and weekend outings|上班和周末出游'],
    price: [199, 2999],
    axes: [{ key: 'color', options: ['Black|黑色', 'Tan|焦糖色', 'Cream|奶白色', 'Burgundy*1.05|酒红色'] }],
  },
  luggage: {
    brands: [
      'Samsonite|新秀丽',
      'American Tourister|美旅',
      'Diplomat|外交官',
      'Xiaomi 90FUN|90分',
      'Rimowa|日默瓦',
      'Delsey|法国大使',
    ],
    kinds: [
      {
        nouns: ['Spinner Suitcase|拉杆箱', 'Carry-On Suitcase|登机箱', 'Luggage|行李箱'],
        adjectives: ['Aluminium-Frame|铝框', 'Polycarbonate|PC材质', 'Expandable|可扩展', 'Lightweight|轻便'],
      },
    ],
    features: [
      'silent 360° spinner wheels|360度静音万向轮',
      'a TSA-approved lock|TSA海关锁',
      'a scratch-resistant shell|耐刮箱体',
      'a double-layer packing system|双层分隔收纳',
    ],
    uses: ['business trips and holidays|商务出差和假期旅行'],
    price: [299, 2999],
    axes: [
      { key: 'size', options: ['20-inch|20英寸', '24-inch*1.2|24英寸', '28-inch*1.4|28英寸'] },
      { key: 'color', options: ['Black|黑色', 'Silver|银色', 'Navy|深蓝色', 'Mint Green|薄荷绿'] },
    ],
  },
};
