import type { LeafTemplate } from '../types';
import { APPAREL_COLOURS, APPAREL_SIZES, BASIC_COLOURS, SHOE_SIZES } from './options';

/** Sports & Outdoors. */
export const SPORTS_TEMPLATES: Record<string, LeafTemplate> = {
  'running-shoes': {
    weight: 1.2,
    brands: [
      { name: 'Li-Ning|李宁', series: ['Feidian {3-5}', 'Chitu {6-7}', 'Yueying {3-4}'] },
      { name: 'Anta|安踏', series: ['C{202-205}', 'Mach {3-4}'] },
      { name: 'Xtep|特步', series: ['160X {5-6}', 'Dynamic Foam'] },
      '361°',
      { name: 'Nike|耐克', series: ['Pegasus {39-41}', 'Vomero {17-18}'] },
      { name: 'Adidas|阿迪达斯', series: ['Ultraboost', 'Adizero Boston {11-12}'] },
      { name: 'ASICS|亚瑟士', series: ['Gel-Kayano {29-31}', 'Novablast {3-4}'] },
    ],
    kinds: [
      {
        nouns: ['Running Shoes|跑鞋', 'Road Running Shoes|公路跑鞋', 'Trail Running Shoes|越野跑鞋'],
        adjectives: ['Lightweight|轻量', 'Cushioned|缓震', 'Carbon-Plate|碳板', 'Breathable|透气'],
      },
    ],
    audiences: ["Men's|男子", "Women's|女子"],
    features: [
      'breathable engineered mesh|工程网面透气',
      'a responsive foam midsole|回弹泡棉中底',
      'a grippy rubber outsole|耐磨防滑大底',
      'reflective details for night runs|夜跑反光设计',
    ],
    uses: ['daily training and race day|日常训练和比赛'],
    price: [299, 1499],
    axes: [
      { key: 'color', options: ['Black/White|黑白', 'White/Blue|白蓝', 'Grey/Orange|灰橙', 'Pink|粉色'] },
      SHOE_SIZES,
    ],
  },
  sportswear: {
    brands: [
      'Li-Ning|李宁',
      'Anta|安踏',
      'Lululemon|露露乐蒙',
      'Under Armour|安德玛',
      'Decathlon|迪卡侬',
      'FILA|斐乐',
    ],
    kinds: [
      {
        nouns: ['Training T-Shirt|运动T恤', 'Running Shorts|跑步短裤', 'Track Jacket|运动外套'],
        adjectives: ['Quick-Dry|速干', 'Breathable|透气', 'Stretch|弹力'],
      },
      {
        nouns: ['Yoga Leggings|瑜伽裤', 'Sports Bra|运动内衣'],
        audiences: ["Women's|女子"],
        adjectives: ['High-Waisted|高腰', 'Nude-Feel|裸感', 'High-Support|高强度'],
        price: [99, 699],
      },
    ],
    audiences: ["Men's|男子", "Women's|女子"],
    features: [
      'moisture-wicking fabric|吸湿排汗面料',
      'four-way stretch|四面弹',
      'flat seams that do not chafe|平缝不磨皮',
      'a zipped key pocket|拉链钥匙袋',
    ],
    uses: ['the gym, yoga and running|健身、瑜伽与跑步'],
    price: [69, 599],
    axes: [APPAREL_COLOURS, APPAREL_SIZES],
  },
  'fitness-equipment': {
    brands: [
      'Keep',
      'Decathlon|迪卡侬',
      'Yesoul|野小兽',
      'Merach|麦瑞克',
      'Shuhua|舒华',
      'Kingsmith|金史密斯',
    ],
    kinds: [
      {
        nouns: ['Adjustable Dumbbells|可调节哑铃', 'Kettlebell|壶铃'],
        adjectives: ['Quick-Adjust|快调', 'Cast-Iron|铸铁', 'Rubber-Coated|包胶'],
        specs: ['10kg', '20kg', '40kg'],
        features: ['a non-slip knurled grip|防滑滚花握把', 'a floor-friendly rubber coating|包胶不伤地板'],
      },
      {
        nouns: ['Yoga Mat|瑜伽垫'],
        adjectives: ['Non-Slip|防滑', 'Extra-Thick|加厚', 'TPE|TPE'],
        price: [49, 299],
        features: ['alignment lines|体位线设计', 'a carry strap|附绑带'],
      },
      {
        nouns: ['Walking Pad|走步机', 'Exercise Bike|动感单车', 'Rowing Machine|划船机'],
        adjectives: ['Foldable|折叠', 'Magnetic|磁控', 'Smart|智能'],
        price: [999, 4999],
        features: ['a quiet magnetic resistance system|磁控静音', 'app-guided workouts|App课程指导'],
      },
    ],
    features: [
      'a compact footprint for small flats|小户型不占地',
      'durable, sweat-proof materials|耐用防汗材质',
    ],
    uses: ['home workouts|居家健身'],
    price: [99, 2999],
    axes: [{ key: 'color', options: ['Black|黑色', 'Grey|灰色', 'Purple|紫色', 'Mint|薄荷绿'] }],
  },
  camping: {
    brands: [
      'Naturehike|挪客',
      'Mobi Garden|牧高笛',
      'Kailas|凯乐石',
      'Coleman|科勒曼',
      'Blackdeer|黑鹿',
      'Snow Peak|雪峰',
    ],
    kinds: [
      {
        nouns: ['Camping Tent|帐篷'],
        adjectives: ['Automatic|全自动', 'Waterproof|防雨', 'Ultralight|超轻'],
        specs: ['2-Person|双人', '4-Person|4人'],
        features: [
          'PU3000 waterproof fabric|PU3000防水面料',
          'set-up in under a minute|一分钟快速搭建',
          'UPF50+ sun protection|UPF50+防晒',
        ],
      },
      {
        nouns: ['Folding Chair|折叠椅', 'Camping Table|蛋卷桌'],
        adjectives: ['Aluminium|铝合金', 'Portable|便携'],
        price: [79, 499],
        features: ['a 150kg load rating|承重150公斤', 'folds flat in seconds|秒收秒开'],
      },
      {
        nouns: ['Sleeping Bag|睡袋'],
        adjectives: ['Down|羽绒', 'Three-Season|三季'],
        price: [129, 999],
        features: ['a comfort rating down to 0°C|舒适温标0°C', 'a two-way zip|双向拉链'],
      },
    ],
    features: ['a carry bag included|附收纳袋', 'lightweight for hiking in|轻量便携'],
    uses: ['camping, picnics and festivals|露营、野餐和音乐节'],
    price: [99, 1999],
    axes: [{ key: 'color', options: ['Khaki|卡其色', 'Olive|军绿色', 'Sand|沙色', 'Sky Blue|天蓝色'] }],
  },
  cycling: {
    brands: ['Giant|捷安特', 'Merida|美利达', 'Rockbros|洛克兄弟', 'Xiaomi|小米', 'Decathlon|迪卡侬'],
    kinds: [
      {
        nouns: ['Cycling Helmet|骑行头盔', 'Cycling Jersey|骑行服'],
        adjectives: ['Aero|气动', 'Breathable|透气'],
        price: [99, 699],
        features: ['moisture-wicking fabric|吸湿排汗', 'a snug adjustable fit|可调节贴合'],
      },
      {
        nouns: ['Road Bike|公路车', 'Mountain Bike|山地车', 'Folding Bike|折叠自行车'],
        adjectives: ['Aluminium|铝合金', 'Carbon|碳纤维'],
        price: [1299, 8999],
        features: [
          'a lightweight frame|轻量化车架',
          'Shimano shifting|禧玛诺变速',
          'hydraulic disc brakes|油压碟刹',
        ],
      },
      {
        nouns: ['Bike Light|车灯', 'Bike Lock|车锁'],
        adjectives: ['USB-Rechargeable|USB充电', 'Anti-Theft|防盗'],
        price: [39, 199],
        features: ['tool-free mounting|免工具安装', 'all-weather durability|全天候耐用'],
        axes: [BASIC_COLOURS],
      },
    ],
    features: ['reflective safety details|反光安全设计'],
    uses: ['commuting and weekend rides|通勤和周末骑行'],
    price: [99, 2999],
    axes: [BASIC_COLOURS, { key: 'size', options: ['S', 'M', 'L*1.02'] }],
  },
};
