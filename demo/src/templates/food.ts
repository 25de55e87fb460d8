import type { LeafTemplate } from '../types';

/** Food & Fresh. */
export const FOOD_TEMPLATES: Record<string, LeafTemplate> = {
  snacks: {
    weight: 1.3,
    brands: [
      'Three Squirrels|三只松鼠',
      'Bestore|良品铺子',
      'BE&CHEERY|百草味',
      'Oreo|奥利奥',
      'Want Want|旺旺',
      'Weilong|卫龙',
    ],
    kinds: [
      {
        nouns: ['Mixed Nuts|混合坚果', 'Roasted Cashews|烤腰果', 'Macadamia Nuts|夏威夷果'],
        adjectives: ['Daily|每日', 'Lightly Salted|淡盐', 'Honey-Roasted|蜂蜜烘烤'],
        features: ['freshly roasted in small batches|小批量新鲜烘焙', 'no added oil|不添加油脂'],
      },
      {
        nouns: ['Spicy Strips|辣条', 'Beef Jerky|牛肉干'],
        adjectives: ['Sichuan-Spicy|麻辣', 'Five-Spice|五香', 'Extra-Hot|特辣'],
        features: ['a bold Sichuan pepper kick|川味麻辣够劲', 'chewy, hand-torn texture|手撕有嚼劲'],
      },
      {
        nouns: ['Snack Gift Box|零食大礼包', 'Biscuits|饼干'],
        adjectives: ['Assorted|混合装', 'Crispy|酥脆', 'Butter|黄油'],
        features: ['a mix of sweet and savoury favourites|甜咸口味搭配', 'freshly baked|新鲜烘焙'],
      },
    ],
    specs: ['500g', '750g*1.4', '1kg*1.8'],
    features: [
      'individually sealed portions|独立小包装',
      'no artificial colours|无人工色素',
      'a resealable pouch|可重复密封袋',
    ],
    uses: ['the office, road trips and movie nights|办公室、自驾和追剧'],
    price: [19, 199],
    axes: [{ key: 'pack', options: ['1 Bag|1袋', '2 Bags*1.9|2袋', '5 Bags*4.4|5袋'] }],
  },
  tea: {
    brands: [
      'Bama Tea|八马茶业',
      'Tenfu|天福茗茶',
      'Xiaoguan Tea|小罐茶',
      'Yunnan Dayi|大益',
      'Zhangyiyuan|张一元',
      'Lipton|立顿',
    ],
    kinds: [
      {
        nouns: ['Longjing Green Tea|龙井绿茶', 'Biluochun Green Tea|碧螺春'],
        adjectives: ['Pre-Qingming|明前', 'West Lake|西湖', 'First-Flush|头采'],
      },
      {
        nouns: ['Tieguanyin Oolong|铁观音', 'Da Hong Pao|大红袍', 'Jasmine Tea|茉莉花茶'],
        adjectives: ['Fragrant|清香型', 'Roasted|浓香型', 'Premium|特级'],
      },
      {
        nouns: ['Pu-erh Tea Cake|普洱茶饼', 'White Tea Cake|白茶饼'],
        adjectives: ['Aged|陈年', 'Raw|生茶', 'Ripe|熟茶'],
      },
    ],
    specs: ['100g', '250g', '357g', '500g'],
    features: [
      'hand-picked leaves from high-altitude gardens|高山茶园手工采摘',
      'a mellow, lingering aftertaste|回甘持久',
      'nitrogen-flushed cans that keep it fresh|充氮罐装锁鲜',
      'a gift box for the holidays|节日礼盒装',
    ],
    uses: ['daily brewing and gifting|日常冲泡与送礼'],
    price: [59, 999],
    axes: [{ key: 'pack', options: ['Tin|罐装', 'Gift Box*1.3|礼盒装'] }],
  },
  coffee: {
    brands: [
      'Saturnbird|三顿半',
      'Nescafé|雀巢',
      'Luckin Coffee|瑞幸咖啡',
      'Starbucks|星巴克',
      'Yongpu|永璞',
      'Lavazza',
    ],
    kinds: [
      {
        nouns: ['Instant Coffee|速溶咖啡', 'Cold Brew Concentrate|冷萃咖啡液'],
        adjectives: ['Freeze-Dried|冻干', 'Sugar-Free|无糖', 'Black|美式黑咖'],
        specs: ['24 Cups|24颗', '36 Sachets|36条'],
        features: ['dissolves instantly in cold water or milk|冷水牛奶秒溶', 'no added sugar|0糖0脂'],
      },
      {
        nouns: ['Coffee Beans|咖啡豆', 'Ground Coffee|咖啡粉'],
        adjectives: ['Medium-Roast|中度烘焙', 'Dark-Roast|深度烘焙', 'Single-Origin|单一产地'],
        specs: ['250g', '500g', '1kg'],
        features: ['freshly roasted to order|新鲜烘焙', 'a one-way degassing valve|单向排气阀锁鲜'],
        axes: [
          {
            key: 'grind',
            options: ['Whole Bean|咖啡豆', 'Espresso Grind|意式研磨', 'Pour-Over Grind|手冲研磨'],
          },
        ],
      },
    ],
    features: [
      'notes of chocolate and nuts|巧克力坚果风味',
      'Yunnan and Ethiopian arabica|云南与埃塞俄比亚阿拉比卡',
    ],
    uses: ['morning pick-me-ups|早起提神'],
    price: [39, 299],
    axes: [
      {
        key: 'flavor',
        options: ['Original|原味', 'Hazelnut|榛果', 'Caramel|焦糖', 'Coconut Latte*1.05|生椰拿铁'],
      },
    ],
  },
  'fresh-fruit': {
    weight: 1.1,
    brands: [
      'Zespri|佳沛',
      'Goodfarmer|佳农',
      'Dole|都乐',
      'Pagoda|百果园',
      'Joyvio|佳沃',
      'Yantai Orchards|烟台果园',
    ],
    kinds: [
      {
        nouns: ['Kiwifruit|奇异果', 'Cherries|车厘子', 'Blueberries|蓝莓'],
        adjectives: ['SunGold|阳光金果', 'Chilean|智利', 'Jumbo|大果'],
      },
      {
        nouns: ['Fuji Apples|红富士苹果', 'Navel Oranges|脐橙', 'Mangoes|芒果'],
        adjectives: ['Crisp|脆甜', 'Gannan|赣南', 'Sun-Ripened|树上熟'],
      },
    ],
    features: [
      'picked ripe and shipped cold|成熟采摘冷链直发',
      'naturally high sugar content|天然高糖度',
      'free replacement if damaged in transit|坏果包赔',
      'no wax coating|无打蜡',
    ],
    uses: ['healthy snacking and fruit platters|健康零食和果盘'],
    price: [29, 299],
    axes: [{ key: 'weight', options: ['1kg', '2.5kg*2.2', '5kg*4'] }],
  },
  dairy: {
    brands: ['Yili|伊利', 'Mengniu|蒙牛', 'Bright Dairy|光明', 'Junlebao|君乐宝', 'a2', 'Anchor|安佳'],
    kinds: [
      {
        nouns: ['Whole Milk|纯牛奶', 'Organic Milk|有机纯牛奶'],
        adjectives: ['Full-Cream|全脂', 'A2 Beta-Casein|A2β-酪蛋白', 'High-Protein|高蛋白'],
        specs: ['250ml × 12|250ml×12盒', '200ml × 24|200ml×24盒'],
      },
      {
        nouns: ['Greek Yoghurt|希腊酸奶', 'Drinking Yoghurt|酸奶'],
        adjectives: ['Low-Sugar|低糖', 'Plain|原味'],
        specs: ['200g × 10|200g×10杯'],
      },
    ],
    features: [
      '3.6g of protein per 100ml|每100ml含3.6g蛋白质',
      'milk from pasture-raised cows|牧场奶源',
      'no preservatives|无添加防腐剂',
    ],
    uses: ['breakfast for the whole family|全家早餐'],
    price: [39, 159],
    axes: [{ key: 'pack', options: ['1 Case|1箱', '2 Cases*1.9|2箱'] }],
  },
  'grain-oil': {
    brands: ['Arawana|金龙鱼', 'Fortune|福临门', 'Shiyuan|十月稻田', 'Luhua|鲁花', 'Wudeli|五得利'],
    kinds: [
      {
        nouns: ['Rice|大米'],
        adjectives: ['Northeast|东北', 'Wuchang|五常', 'Jasmine|香米'],
        specs: ['5kg', '10kg*1.9'],
      },
      {
        nouns: ['Peanut Oil|花生油', 'Sunflower Oil|葵花籽油'],
        adjectives: ['Cold-Pressed|压榨', 'First-Press|一级'],
        specs: ['5L'],
        axes: [{ key: 'pack', options: ['1 Bottle|1桶', '2 Bottles*1.9|2桶'] }],
      },
      {
        nouns: ['Wheat Flour|小麦粉'],
        adjectives: ['All-Purpose|中筋', 'Bread|高筋'],
        specs: ['2.5kg', '5kg*1.8'],
      },
    ],
    features: [
      "this season's harvest|当季新米新粮",
      'vacuum-sealed freshness|真空锁鲜',
      'a traceable origin|产地可溯源',
    ],
    uses: ['everyday home cooking|家常烹饪'],
    price: [39, 199],
    axes: [{ key: 'pack', options: ['1 Bag|1袋', '2 Bags*1.9|2袋'] }],
  },
};
