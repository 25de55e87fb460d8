import type { LeafTemplate } from '../types';

/** Beauty & Personal Care. */
export const BEAUTY_TEMPLATES: Record<string, LeafTemplate> = {
  skincare: {
    weight: 1.3,
    brands: [
      'Proya|珀莱雅',
      'Winona|薇诺娜',
      'Pechoin|百雀羚',
      "L'Oréal Paris|欧莱雅",
      'Estée Lauder|雅诗兰黛',
      'Shiseido|资生堂',
      'Lancôme|兰蔻',
    ],
    kinds: [
      {
        nouns: ['Serum|精华液', 'Essence|精华水'],
        adjectives: ['Hyaluronic Acid|玻尿酸', 'Niacinamide|烟酰胺', 'Retinol|视黄醇', 'Vitamin C|维C'],
        specs: ['30ml', '50ml'],
      },
      {
        nouns: ['Face Cream|面霜', 'Moisturiser|保湿乳'],
        adjectives: ['Soothing|舒缓', 'Firming|紧致', 'Brightening|亮肤'],
        specs: ['50g', '75ml'],
      },
      {
        nouns: ['Sunscreen|防晒霜'],
        adjectives: ['SPF50+ PA++++|SPF50+ PA++++', 'Lightweight|清爽'],
        specs: ['50ml'],
        price: [69, 299],
      },
    ],
    features: [
      'a lightweight, fast-absorbing texture|质地轻薄易吸收',
      'a formula for sensitive skin|敏感肌适用',
      'no added fragrance or alcohol|无香精无酒精',
      'dermatologist-tested results|皮肤科测试',
    ],
    uses: ['morning and evening routines|早晚护肤'],
    price: [89, 1299],
    axes: [
      { key: 'pack', options: ['Single|单瓶装', 'Twin Pack*1.8|两瓶装', 'Gift Set*1.5|礼盒装'], max: 3 },
    ],
  },
  makeup: {
    brands: [
      'Perfect Diary|完美日记',
      'Florasis|花西子',
      'Judydoll|橘朵',
      'MAC|魅可',
      'YSL|圣罗兰',
      'Maybelline|美宝莲',
      'Dior|迪奥',
    ],
    kinds: [
      {
        nouns: ['Lipstick|口红', 'Lip Glaze|唇釉'],
        adjectives: ['Matte|哑光', 'Velvet|丝绒', 'Moisturising|滋润'],
      },
      {
        nouns: ['Foundation|粉底液', 'Cushion Compact|气垫'],
        adjectives: ['Long-Wear|持妆', 'Oil-Control|控油', 'Dewy|水光'],
        axes: [
          {
            key: 'shade',
            options: ['Porcelain|瓷白色', 'Ivory|象牙白', 'Natural|自然色', 'Warm Beige|暖米色'],
          },
        ],
      },
      {
        nouns: ['Eyeshadow Palette|眼影盘', 'Mascara|睫毛膏', 'Eyebrow Pencil|眉笔'],
        adjectives: ['Waterproof|防水', 'Shimmer|珠光', 'Everyday|日常'],
        axes: [
          { key: 'shade', options: ['Black|黑色', 'Brown|棕色', 'Earth Tones|大地色', 'Rose*1.05|玫瑰色'] },
        ],
      },
    ],
    features: [
      'rich, buildable colour|显色度高可叠加',
      'a formula that lasts all day|持久不脱妆',
      'a non-drying finish|不拔干',
      'cruelty-free ingredients|零动物实验',
    ],
    uses: ['everyday and evening looks|日常妆与晚宴妆'],
    price: [49, 499],
    axes: [
      {
        key: 'shade',
        options: [
          'Rosewood|玫瑰豆沙',
          'Brick Red|砖红色',
          'Nude Beige|裸杏色',
          'Classic Red*1.05|正红色',
          'Ivory|象牙白',
        ],
      },
    ],
  },
  fragrance: {
    weight: 0.7,
    brands: [
      'Chanel|香奈儿',
      'Dior|迪奥',
      'Jo Malone London|祖玛珑',
      'Le Labo',
      'Documents|观夏',
      'Scent Library|气味图书馆',
    ],
    kinds: [
      {
        nouns: ['Eau de Parfum|香水', 'Eau de Toilette|淡香水'],
        adjectives: ['Floral|花香调', 'Woody|木质调', 'Citrus|柑橘调', 'Oriental|东方调'],
      },
    ],
    audiences: ["Women's|女士", "Men's|男士", 'Unisex|中性'],
    features: [
      'long-lasting top, heart and base notes|前中后调层次丰富持久',
      'a gift box with a handwritten card|礼盒包装附手写卡',
      'an elegant glass bottle|精致玻璃瓶身',
    ],
    uses: ['gifts and special occasions|送礼与重要场合'],
    price: [199, 1999],
    axes: [{ key: 'volume', options: ['30ml', '50ml*1.5', '100ml*2.3'] }],
  },
  'hair-care': {
    brands: [
      'Head & Shoulders|海飞丝',
      'Pantene|潘婷',
      'Schwarzkopf|施华蔻',
      'Kerastase|卡诗',
      'Adolph|阿道夫',
      'Seeyoung|滋源',
    ],
    kinds: [
      {
        nouns: ['Shampoo|洗发水', 'Conditioner|护发素'],
        adjectives: ['Anti-Dandruff|去屑', 'Oil-Control|控油', 'Repairing|修护', 'Silicone-Free|无硅油'],
      },
      {
        nouns: ['Hair Mask|发膜', 'Hair Oil|护发精油'],
        adjectives: ['Deep-Repair|深层修护', 'Smoothing|柔顺'],
        price: [59, 399],
      },
    ],
    specs: ['400ml', '500ml', '750ml'],
    features: [
      'amino-acid cleansers|氨基酸温和清洁',
      'a fresh, lasting scent|清新留香',
      'relief for an itchy scalp|舒缓头皮止痒',
      'smoother, shinier lengths|柔顺有光泽',
    ],
    uses: ['daily hair care|日常洗护'],
    price: [39, 299],
    axes: [{ key: 'pack', options: ['Single|单瓶装', 'Twin Pack*1.75|两瓶装'] }],
  },
  'personal-care-appliances': {
    brands: [
      'Philips|飞利浦',
      'Dyson|戴森',
      'Panasonic|松下',
      'Braun|博朗',
      'Usmile|usmile',
      'Laifen|徕芬',
      'Oral-B|欧乐B',
    ],
    kinds: [
      {
        nouns: ['Electric Toothbrush|电动牙刷'],
        adjectives: ['Sonic|声波', 'Whitening|美白', 'Kids|儿童'],
        price: [99, 899],
        features: ['an IPX7 waterproof body|IPX7全身防水', 'a two-minute smart timer|两分钟智能计时'],
      },
      {
        nouns: ['Hair Dryer|吹风机'],
        adjectives: ['High-Speed|高速', 'Ionic|负离子', 'Foldable|折叠'],
        price: [199, 2999],
        features: [
          '200 million negative ions for less frizz|2亿负离子减少毛躁',
          'smart heat control|智能温控',
        ],
      },
      {
        nouns: ['Electric Shaver|电动剃须刀'],
        adjectives: ['Wet & Dry|干湿双剃', 'Rotary|旋转式', 'Foil|往复式'],
        price: [149, 1999],
        features: ['wet and dry shaving|干湿两用', 'a pop-up trimmer|弹出式修剪器'],
      },
    ],
    features: [
      'several intensity modes|多档模式可调',
      'a travel case|附赠旅行收纳盒',
      'a two-year warranty|两年质保',
    ],
    uses: ['daily grooming at home and away|居家与出差日常护理'],
    price: [99, 1999],
    axes: [{ key: 'color', options: ['White|白色', 'Black|黑色', 'Pink|粉色', 'Blue|蓝色'] }],
  },
};
