import type { LeafTemplate } from '../types';
import { APPLIANCE_COLOURS } from './options';

const INSTALLATION = {
  key: 'service',
  options: [
    'Delivery Only|仅送货',
    'Delivery & Installation*1.04|送装一体',
    'With 5-Year Warranty*1.08|5年延保',
  ],
  max: 2,
};

/** Home Appliances and Home & Living. */
export const HOME_TEMPLATES: Record<string, LeafTemplate> = {
  televisions: {
    brands: [
      { name: 'Hisense|海信', series: ['E{7-8}K', 'U{7-8}'] },
      { name: 'TCL', series: ['Q{9-10}K', 'T{7-8}H'] },
      { name: 'Xiaomi|小米', series: ['Redmi A{55-75}', 'S Pro'] },
      { name: 'Sony|索尼', series: ['BRAVIA X{85-95}L'] },
      { name: 'Skyworth|创维', series: ['A{5-7}F', 'G{6-7}F'] },
      { name: 'Huawei Vision|华为智慧屏', series: ['V{3-5}', 'SE{3-4}'] },
    ],
    kinds: [
      {
        nouns: ['4K Smart TV|4K智能电视'],
        adjectives: ['Mini LED|Mini LED', 'QLED|QLED量子点', '144Hz|144Hz高刷'],
      },
    ],
    specs: ['55-inch*0.7|55英寸', '65-inch|65英寸', '75-inch*1.5|75英寸', '85-inch*2.2|85英寸'],
    specAt: 'start',
    features: [
      'Dolby Vision and HDR10+|杜比视界与HDR10+',
      'a far-field voice remote|远场语音遥控',
      'MEMC motion smoothing|MEMC运动防抖',
      'a low-latency game mode|低延迟游戏模式',
    ],
    uses: ['films, sport and console gaming|追剧、看球和主机游戏'],
    price: [2499, 8999],
    axes: [INSTALLATION],
  },
  refrigerators: {
    brands: [
      'Haier|海尔',
      'Midea|美的',
      'Siemens|西门子',
      'Ronshen|容声',
      'Casarte|卡萨帝',
      'Panasonic|松下',
    ],
    kinds: [
      {
        nouns: [
          'French-Door Refrigerator|法式多门冰箱',
          'Side-by-Side Refrigerator|对开门冰箱',
          'Cross-Door Refrigerator|十字对开门冰箱',
        ],
        adjectives: ['Frost-Free|风冷无霜', 'Inverter|变频', 'Built-in|嵌入式'],
      },
    ],
    specs: ['406L*0.8', '510L', '550L*1.1', '620L*1.3'],
    features: [
      'precise temperature-controlled fresh zones|精控保鲜分区',
      'a first-class energy rating|一级能效',
      'an ultra-thin flush-fit body|超薄平嵌',
      'app control over Wi-Fi|Wi-Fi智能控制',
    ],
    uses: ['families who shop once a week|每周一次大采购的家庭'],
    price: [2499, 15999],
    axes: [APPLIANCE_COLOURS, INSTALLATION],
  },
  'washing-machines': {
    brands: ['Haier|海尔', 'Little Swan|小天鹅', 'Midea|美的', 'Siemens|西门子', 'Bosch|博世', 'TCL'],
    kinds: [
      {
        nouns: ['Front-Load Washer|滚筒洗衣机', 'Washer Dryer|洗烘一体机'],
        adjectives: ['Direct-Drive|直驱', 'Inverter|变频', 'Ultra-Slim|超薄'],
        features: ['automatic detergent dosing|智能投放洗涤剂', 'a 15-minute quick wash|15分钟快洗'],
      },
      {
        nouns: ['Heat-Pump Dryer|热泵干衣机'],
        adjectives: ['Quiet|静音', 'Inverter|变频'],
        price: [3499, 8999],
        features: [
          'low-temperature drying that is kind to fabrics|低温烘干不伤衣',
          'a lint filter that cleans itself|毛屑自清洁',
        ],
      },
    ],
    specs: ['9kg', '10kg', '12kg'],
    features: [
      'steam sterilisation|蒸汽除菌',
      'a quiet direct-drive motor|直驱电机低噪运行',
      'a first-class energy rating|一级能效',
    ],
    uses: ['busy households|忙碌的家庭'],
    price: [1499, 8999],
    axes: [APPLIANCE_COLOURS, INSTALLATION],
  },
  'air-conditioners': {
    brands: [
      { name: 'Gree|格力', series: ['Yunjia|云佳', 'Tianjia|天佳', 'Pinyue|品悦'] },
      { name: 'Midea|美的', series: ['Kuyu|酷省电', 'Fengzun|风尊', 'Dongdao|冷静星'] },
      { name: 'Haier|海尔', series: ['Jingjing|静悦', 'Leiting|雷神者'] },
      { name: 'AUX|奥克斯', series: ['Jingcai|京彩', 'Zhenxinfeng|臻新风'] },
      { name: 'Daikin|大金', series: ['FTXR{2-5}', 'E-MAX'] },
      { name: 'Mitsubishi Electric|三菱电机', series: ['MSZ-ZFJ', 'MSZ-FJ'] },
    ],
    kinds: [
      {
        nouns: ['Wall-Mounted Air Conditioner|壁挂式空调'],
        adjectives: ['Inverter|变频', 'Quiet|静音', 'Self-Cleaning|自清洁'],
        specs: ['1HP*0.85|1匹', '1.5HP|1.5匹'],
      },
      {
        nouns: ['Floor-Standing Air Conditioner|立柜式空调'],
        adjectives: ['Inverter|变频', 'Fresh-Air|新风'],
        specs: ['2HP|2匹', '3HP*1.3|3匹'],
        price: [4999, 9999],
      },
    ],
    specAt: 'start',
    features: [
      'inverter heating and cooling|变频冷暖',
      'a first-class energy rating|新一级能效',
      'self-cleaning evaporator|自清洁蒸发器',
      'gentle, draught-free airflow|柔风防直吹',
    ],
    uses: ['bedrooms and living rooms|卧室和客厅'],
    price: [2299, 6999],
    axes: [INSTALLATION],
  },
  'rice-cookers': {
    brands: [
      'Midea|美的',
      'Supor|苏泊尔',
      'Zojirushi|象印',
      'Xiaomi Mijia|米家',
      'Joyoung|九阳',
      'Tiger|虎牌',
    ],
    kinds: [
      {
        nouns: ['Rice Cooker|电饭煲'],
        adjectives: ['IH|IH电磁加热', 'Low-Sugar|低糖', 'Smart|智能', 'Ceramic-Bowl|陶瓷釜'],
      },
    ],
    specs: ['3L', '4L', '5L'],
    features: [
      'a thick non-stick inner pot|厚釜不粘内胆',
      '24-hour delay start|24小时预约',
      'dedicated porridge and cake modes|煮粥蛋糕多功能',
      'a removable steam vent for easy cleaning|可拆洗蒸汽阀',
    ],
    uses: ['families of two to six|2到6口之家'],
    price: [149, 1999],
    axes: [{ key: 'color', options: ['White|白色', 'Black|黑色', 'Champagne Gold*1.05|香槟金'] }],
  },
  'air-fryers': {
    brands: ['Philips|飞利浦', 'Midea|美的', 'Bear|小熊', 'Joyoung|九阳', 'Supor|苏泊尔', 'Ninja'],
    kinds: [
      {
        nouns: ['Air Fryer|空气炸锅', 'Air Fryer Oven|空气炸烤箱'],
        adjectives: ['Visible-Window|可视', 'Oil-Free|无油', 'Dual-Basket|双篮', 'Steam|蒸汽'],
      },
    ],
    specs: ['4.5L', '5.5L', '6L', '8L'],
    features: [
      'crisp results with up to 90% less oil|少油90%依然酥脆',
      'a dishwasher-safe basket|炸篮可进洗碗机',
      'one-touch presets|一键智能菜单',
      'a see-through cooking window|可视窗口随时查看',
    ],
    uses: ['quick weeknight dinners|工作日快手晚餐'],
    price: [199, 999],
    axes: [{ key: 'color', options: ['White|白色', 'Black|黑色', 'Cream|奶油色'] }],
  },
  'robot-vacuums': {
    brands: ['Ecovacs|科沃斯', 'Roborock|石头', 'Dreame|追觅', 'Xiaomi Mijia|米家', 'Narwal|云鲸', 'iRobot'],
    kinds: [
      {
        nouns: ['Robot Vacuum and Mop|扫拖一体机器人', 'Robot Vacuum|扫地机器人'],
        adjectives: ['Self-Emptying|自动集尘', 'LiDAR|激光导航', 'Self-Washing|自清洁'],
      },
    ],
    series: ['T{10-30}', 'X{1-3}', 'L{10-20}'],
    features: [
      '8,000Pa suction|8000Pa大吸力',
      'hot-water mop washing|热水洗拖布',
      'obstacle avoidance with AI vision|AI视觉避障',
      'room-by-room cleaning from the app|App分区清扫',
    ],
    uses: ['pet owners and busy families|养宠家庭和上班族'],
    price: [1299, 6999],
    axes: [
      { key: 'color', options: ['White|白色', 'Black|黑色'] },
      { key: 'edition', options: ['Standard|标准版', 'With Spare Parts Kit*1.06|加配耗材包'] },
    ],
  },
  bedding: {
    weight: 1.2,
    brands: [
      'Luolai|罗莱',
      'Fuanna|富安娜',
      'Mercury|水星家纺',
      'MUJI|无印良品',
      'Dohia|多喜爱',
      'Boyang|博洋',
    ],
    kinds: [
      {
        nouns: ['Duvet Cover Set|四件套', 'Bedding Set|床品套件'],
        adjectives: ['Egyptian Cotton|长绒棉', 'Washed Cotton|水洗棉', 'Tencel|天丝', 'Silk|真丝'],
      },
      {
        nouns: ['Duvet|被子', 'Summer Quilt|夏凉被'],
        adjectives: ['Down|羽绒', 'Silk|蚕丝', 'Soybean-Fibre|大豆纤维'],
        price: [199, 1999],
        axes: [{ key: 'size', options: ['150×200cm', '200×230cm*1.25', '220×240cm*1.4'] }],
      },
      {
        nouns: ['Pillow|枕头'],
        adjectives: ['Memory-Foam|记忆棉', 'Latex|乳胶', 'Buckwheat|荞麦'],
        price: [59, 399],
        axes: [
          { key: 'height', options: ['Low|低枕', 'Medium|中枕', 'High*1.1|高枕'] },
          { key: 'pack', options: ['Single|单只装', 'Pair*1.9|一对装'] },
        ],
      },
    ],
    features: [
      'breathable, skin-friendly fabric|亲肤透气',
      'reactive dyes that do not fade|活性印染不易褪色',
      'a hidden zip|隐形拉链',
      'OEKO-TEX certified materials|OEKO-TEX认证面料',
    ],
    uses: ["a better night's sleep|安心好睡眠"],
    price: [199, 1599],
    axes: [
      { key: 'size', options: ['1.5m Bed|1.5米床', '1.8m Bed*1.15|1.8米床', '2.0m Bed*1.3|2.0米床'] },
      {
        key: 'color',
        options: [
          'Ivory|象牙白',
          'Misty Blue|雾霾蓝',
          'Sage Green|豆沙绿',
          'Light Grey|浅灰色',
          'Blush Pink|樱花粉',
        ],
      },
    ],
  },
  cookware: {
    brands: [
      'Supor|苏泊尔',
      'Zwilling|双立人',
      'Fissler|菲仕乐',
      'Cooker King|炊大皇',
      'Tefal|特福',
      'Aishida|爱仕达',
    ],
    kinds: [
      {
        nouns: ['Wok|炒锅', 'Frying Pan|平底锅'],
        adjectives: ['Non-Stick|不粘', 'Cast-Iron|铸铁', 'Honeycomb Stainless Steel|蜂窝不锈钢'],
      },
      {
        nouns: ['Stock Pot|汤锅', 'Pressure Cooker|高压锅'],
        adjectives: ['Stainless Steel|不锈钢', 'Enamel|珐琅'],
        price: [199, 1499],
      },
      {
        nouns: ['Cookware Set|锅具套装'],
        adjectives: ['3-Piece|三件套', '5-Piece|五件套'],
        price: [399, 2499],
        axes: [{ key: 'color', options: ['Silver|银色', 'Black|黑色', 'Cream|奶油白'] }],
      },
    ],
    specs: ['26cm', '28cm', '30cm', '32cm'],
    features: [
      'works on gas and induction hobs|燃气灶电磁炉通用',
      'a scratch-resistant coating|耐刮涂层',
      'an anti-scald handle|防烫手柄',
      'PFOA-free materials|无PFOA涂层',
    ],
    uses: ['everyday home cooking|家常烹饪'],
    price: [99, 899],
    axes: [
      {
        key: 'edition',
        options: ['Pan Only|单锅', 'With Glass Lid*1.15|配玻璃盖', 'With Lid & Spatula*1.25|配锅盖锅铲'],
      },
    ],
  },
  'storage-organization': {
    brands: ['Tenma|天马', 'JEKO', 'Citylong|禧天龙', 'MUJI|无印良品', 'Baicare|百露'],
    kinds: [
      {
        nouns: ['Storage Box|收纳箱', 'Drawer Organiser|抽屉收纳盒', 'Wardrobe Organiser|衣柜收纳盒'],
        adjectives: ['Stackable|可叠加', 'Transparent|透明', 'Foldable|折叠', 'Large|大号'],
      },
      {
        nouns: ['Shoe Rack|鞋架', 'Kitchen Rack|厨房置物架'],
        adjectives: ['Multi-Tier|多层', 'Carbon-Steel|碳钢', 'Bamboo|楠竹'],
        price: [39, 299],
        axes: [{ key: 'size', options: ['3 Tiers|三层', '5 Tiers*1.4|五层', '7 Tiers*1.8|七层'] }],
      },
    ],
    features: [
      'food-grade PP plastic|食品级PP材质',
      'a dust-proof lid|防尘盖设计',
      'tool-free assembly|免工具安装',
      'space-saving stackable design|叠放节省空间',
    ],
    uses: ['small apartments and dorms|小户型与宿舍'],
    price: [19, 199],
    axes: [{ key: 'pack', options: ['1 Piece|单个装', '3 Pieces*2.6|三个装', '5 Pieces*4|五个装'] }],
  },
  lighting: {
    brands: ['Opple|欧普', 'NVC|雷士', 'Philips|飞利浦', 'Yeelight|易来', 'BenQ|明基'],
    kinds: [
      {
        nouns: ['Ceiling Light|吸顶灯', 'Chandelier|吊灯'],
        adjectives: ['LED|LED', 'Smart|智能', 'Minimalist|极简'],
        price: [199, 1999],
      },
      {
        nouns: ['Desk Lamp|台灯', 'Monitor Light Bar|屏幕挂灯'],
        adjectives: ['Eye-Care|护眼', 'Dimmable|无极调光', 'Full-Spectrum|全光谱'],
        price: [99, 999],
      },
    ],
    features: [
      'flicker-free dimming|无频闪调光',
      'colour temperature from warm to cool|冷暖色温可调',
      'voice and app control|语音与App控制',
      'a Ra95 colour rendering index|Ra95高显色',
    ],
    uses: ['living rooms, bedrooms and study desks|客厅、卧室与书桌'],
    price: [99, 1299],
    axes: [{ key: 'color', options: ['White|白色', 'Black|黑色', 'Wood Grain|木纹'] }],
  },
  furniture: {
    brands: [
      'Kuka|顾家家居',
      "Lin's Wood|林氏木业",
      'Sunhoo|双虹',
      'Yuanshi|源氏木语',
      'IKEA|宜家',
      'Quanyou|全友',
    ],
    kinds: [
      {
        nouns: ['Sofa|沙发', 'Sofa Bed|沙发床'],
        adjectives: ['Fabric|布艺', 'Leather|真皮', 'Modular|模块化', 'Cream-Style|奶油风'],
        price: [1999, 12999],
        features: ['high-resilience foam cushions|高回弹海绵坐垫', 'removable, washable covers|可拆洗外套'],
      },
      {
        nouns: ['Dining Table|餐桌', 'Bookcase|书架', 'TV Stand|电视柜'],
        adjectives: ['Solid Oak|实木橡木', 'Walnut|胡桃木', 'Nordic|北欧'],
        price: [599, 4999],
        features: ['solid wood from sustainable forests|可持续林场实木', 'eco-friendly finishes|环保水性漆'],
      },
      {
        nouns: ['Office Chair|办公椅'],
        adjectives: ['Ergonomic|人体工学', 'Mesh|网布'],
        price: [299, 2999],
        features: ['adjustable lumbar support|可调节腰托', '4D armrests|4D扶手'],
      },
    ],
    features: ['free delivery and assembly|免费送货安装', 'a 5-year frame warranty|框架五年质保'],
    uses: ['modern homes and apartments|现代家居'],
    price: [599, 6999],
    axes: [
      {
        key: 'color',
        options: ['Light Oak|原木色', 'Walnut|胡桃色', 'Cream White|奶白色', 'Charcoal Grey|炭灰色'],
      },
    ],
  },
};
