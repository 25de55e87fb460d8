import type { LeafTemplate } from '../types';
import { BASIC_COLOURS, TECH_COLOURS } from './options';

const PHONE_MODELS = [
  'for iPhone 15|适用iPhone 15',
  'for iPhone 15 Pro|适用iPhone 15 Pro',
  'for iPhone 15 Pro Max|适用iPhone 15 Pro Max',
  'for iPhone 16 Pro|适用iPhone 16 Pro',
  'for Huawei Mate 60 Pro|适用华为Mate 60 Pro',
  'for Huawei Pura 70|适用华为Pura 70',
  'for Xiaomi 14|适用小米14',
  'for Redmi K70|适用Redmi K70',
  'for Samsung Galaxy S24|适用三星Galaxy S24',
  'for OPPO Find X7|适用OPPO Find X7',
  'for vivo X100|适用vivo X100',
  'for Honor Magic6|适用荣耀Magic6',
];

/** Phones & Digital: these leaves also carry the real Best Buy records; templates fill in past them. */
export const DIGITAL_TEMPLATES: Record<string, LeafTemplate> = {
  phones: {
    weight: 1.6,
    brands: [
      { name: 'Xiaomi|小米', series: ['{13-15}', 'Redmi Note {12-14}', 'Redmi K{60-80}'] },
      { name: 'Huawei|华为', series: ['Mate {50-70}', 'nova {10-13}', 'Pura {60-80}'] },
      { name: 'Honor|荣耀', series: ['Magic{5-7}', 'X{40-60}', '{80-100}'] },
      { name: 'OPPO', series: ['Find X{6-8}', 'Reno{10-12}', 'A{1-3}'] },
      { name: 'vivo', series: ['X{90-100}', 'S{17-19}', 'iQOO {11-13}'] },
      { name: 'OnePlus|一加', series: ['{11-13}', 'Ace {2-3}'] },
      { name: 'Apple|苹果', series: ['iPhone {13-16}'] },
      { name: 'Samsung|三星', series: ['Galaxy S{22-24}', 'Galaxy A{34-55}', 'Galaxy Z Flip{4-6}'] },
    ],
    seriesSuffixes: ['', '', ' Pro', ' Pro+', ' Ultra', ' Lite'],
    kinds: [{ nouns: ['5G Smartphone|5G手机', 'Smartphone|智能手机', '5G Mobile Phone|5G全网通手机'] }],
    features: [
      'a 120Hz AMOLED display|120Hz AMOLED屏幕',
      'a 50MP main camera with optical stabilisation|5000万像素光学防抖主摄',
      'a 5000mAh battery|5000mAh大电池',
      '67W wired fast charging|67W有线快充',
      'NFC and dual SIM|NFC与双卡双待',
      'an IP68 dust- and water-resistant body|IP68级防尘防水',
      'a flagship-class processor|旗舰级处理器',
    ],
    uses: [
      'gaming and photography|游戏和拍照',
      'everyday use|日常使用',
      'students and business users|学生党和商务人士',
    ],
    price: [699, 7999],
    axes: [
      TECH_COLOURS,
      {
        key: 'storage',
        options: ['8GB+128GB', '8GB+256GB*1.12', '12GB+256GB*1.22', '12GB+512GB*1.4', '16GB+1TB*1.7'],
      },
    ],
  },
  'phone-cases': {
    weight: 1.4,
    brands: [
      'Spigen',
      'ESR|亿色',
      'Baseus|倍思',
      'Pitaka',
      'Torras|图拉斯',
      'Nillkin|耐尔金',
      'Benks|邦克仕',
    ],
    kinds: [
      {
        nouns: ['Phone Case|手机壳', 'Protective Case|保护壳', 'Bumper Case|边框壳'],
        adjectives: [
          'Shockproof|防摔',
          'Ultra-Thin|超薄',
          'Clear|透明',
          'Magnetic|磁吸',
          'Liquid Silicone|液态硅胶',
          'Aramid Fibre|芳纶纤维',
          'Matte|磨砂',
        ],
      },
      {
        nouns: ['Flip Cover|翻盖保护套', 'Wallet Case|插卡皮套'],
        adjectives: ['Leather|真皮', 'Vegan Leather|素皮'],
      },
    ],
    specs: PHONE_MODELS,
    features: [
      'raised edges that protect the camera and screen|镜头与屏幕加高防护',
      'MagSafe-compatible magnets|兼容MagSafe磁吸',
      'a back that will not yellow|背板持久不发黄',
      'precise button and port cut-outs|按键开孔精准',
      'military-grade drop protection|军规级防摔',
      'a soft microfibre lining|内衬超细纤维',
    ],
    uses: ['everyday protection|日常防护', 'commuting and travel|通勤出行'],
    price: [19, 199],
    axes: [
      {
        key: 'color',
        options: ['Black|黑色', 'Clear|透明', 'Navy|深蓝色', 'Pink|粉色', 'Sage Green|青山绿'],
      },
      { key: 'edition', options: ['Standard|标准款', 'With Lanyard*1.2|挂绳款'], max: 2 },
    ],
  },
  'screen-protectors': {
    brands: ['ZAGG', 'Benks|邦克仕', 'Nillkin|耐尔金', 'Ugreen|绿联', 'ESR|亿色', 'Blueo|蓝猩'],
    kinds: [
      {
        nouns: ['Screen Protector|钢化膜', 'Glass Screen Protector|玻璃膜', 'Hydrogel Film|水凝膜'],
        adjectives: [
          'Privacy|防窥',
          'Anti-Blue-Light|抗蓝光',
          'Matte|磨砂',
          'Full-Coverage|全屏',
          'HD Clear|高清',
        ],
      },
    ],
    specs: PHONE_MODELS,
    features: [
      '9H surface hardness|9H表面硬度',
      'an oleophobic coating that resists fingerprints|疏油涂层防指纹',
      'bubble-free installation with an alignment frame|贴膜神器无气泡安装',
      'full touch sensitivity|触控灵敏',
      'edge-to-edge coverage|全屏覆盖',
    ],
    uses: ['keeping a new phone scratch-free|新机防刮'],
    price: [9.9, 89],
    axes: [{ key: 'pack', options: ['1 Piece|1片装', '2 Pieces*1.6|2片装', '3 Pieces*2.1|3片装'] }],
  },
  'chargers-cables': {
    weight: 1.2,
    brands: ['Anker|安克', 'Ugreen|绿联', 'Baseus|倍思', 'Belkin|贝尔金', 'Xiaomi|小米', 'CUKTECH|酷态科'],
    kinds: [
      {
        nouns: ['USB-C Charger|充电器', 'Wall Charger|充电头'],
        adjectives: [
          '65W GaN|65W氮化镓',
          '30W PD|30W PD快充',
          '120W|120W',
          'Dual-Port|双口',
          'Foldable-Plug|折叠插脚',
        ],
        price: [39, 299],
        axes: [
          { key: 'color', options: ['White|白色', 'Black|黑色'] },
          { key: 'edition', options: ['Charger Only|单充电头', 'With 1m Cable*1.2|配1米线'] },
        ],
      },
      {
        nouns: [
          'USB-C to USB-C Cable|双Type-C数据线',
          'USB-C to Lightning Cable|Type-C转Lightning数据线',
          'USB-A to USB-C Cable|USB-A转Type-C数据线',
        ],
        adjectives: ['Braided|编织', '100W Fast-Charging|100W快充', 'Silicone|亲肤硅胶', 'Right-Angle|弯头'],
        price: [19, 129],
        axes: [{ key: 'length', options: ['0.5m', '1m*1.1', '1.5m*1.2', '2m*1.3'] }],
      },
      {
        nouns: [
          'Wireless Charger|无线充电器',
          'Magnetic Wireless Charger|磁吸无线充',
          '3-in-1 Charging Stand|三合一无线充电支架',
        ],
        adjectives: ['15W|15W', 'Qi2|Qi2', 'Fast|快充'],
        price: [59, 499],
      },
      {
        nouns: ['Car Charger|车载充电器'],
        adjectives: ['Dual-Port|双口', 'PD Fast|PD快充', 'Retractable-Cable|伸缩线'],
        price: [29, 149],
      },
    ],
    features: [
      'smart power allocation|智能功率分配',
      'over-current and over-heat protection|过流过温多重保护',
      'wide compatibility with phones, tablets and laptops|兼容手机、平板与笔记本',
      'a compact, travel-friendly design|小巧便携',
    ],
    uses: ['home, office and travel|居家、办公与出差'],
    price: [29, 299],
    axes: [{ key: 'color', options: ['White|白色', 'Black|黑色', 'Space Grey|深空灰'] }],
  },
  'power-banks': {
    brands: ['Anker|安克', 'Xiaomi|小米', 'Baseus|倍思', 'Romoss|罗马仕', 'CUKTECH|酷态科', 'Ugreen|绿联'],
    kinds: [
      {
        nouns: ['Power Bank|充电宝', 'Portable Charger|移动电源'],
        adjectives: [
          'Magnetic|磁吸',
          '22.5W Fast-Charging|22.5W快充',
          'Slim|超薄',
          'Mini|迷你',
          'Built-in-Cable|自带线',
        ],
        specs: ['5000mAh', '10000mAh', '20000mAh', '30000mAh'],
      },
    ],
    features: [
      'a digital battery display|数显电量',
      'charging for three devices at once|三设备同时充电',
      'airline-approved capacity|可带上飞机',
      'lithium-polymer cells|锂聚合物电芯',
    ],
    uses: ['travel and long days out|出差旅行和外出'],
    price: [49, 299],
    axes: [BASIC_COLOURS],
  },
  'smartwatch-accessories': {
    brands: ['Spigen', 'Nomad', 'Baseus|倍思', 'Ugreen|绿联', 'Huawei|华为', 'Xiaomi|小米'],
    kinds: [
      {
        nouns: ['Watch Band|表带', 'Sport Loop|运动回环表带', 'Milanese Loop|米兰尼斯表带'],
        adjectives: ['Silicone|硅胶', 'Leather|真皮', 'Nylon|尼龙', 'Stainless Steel|不锈钢'],
        specs: [
          'for Apple Watch 45mm|适用Apple Watch 45mm',
          'for Apple Watch 41mm|适用Apple Watch 41mm',
          'for Huawei Watch GT 4|适用华为Watch GT 4',
          'for Xiaomi Smart Band 8|适用小米手环8',
        ],
        features: ['tool-free quick release|快拆设计免工具', 'sweat-resistant materials|耐汗材质'],
      },
      {
        nouns: ['Watch Charger|手表充电器', 'Charging Dock|充电底座', 'Watch Case|手表保护壳'],
        adjectives: ['Magnetic|磁吸', 'Portable|便携', 'Tempered Glass|钢化玻璃'],
        price: [29, 129],
        features: ['a snug magnetic fit|磁吸精准贴合', 'a compact travel size|小巧便于出行'],
      },
    ],
    features: ['wide model compatibility|多型号兼容', 'a one-year replacement warranty|一年质保换新'],
    uses: ['workouts and the office|运动与通勤'],
    price: [29, 299],
    axes: [BASIC_COLOURS],
  },
  headphones: {
    weight: 1.2,
    brands: [
      'Sony|索尼',
      'Huawei|华为',
      'Xiaomi|小米',
      'Edifier|漫步者',
      'Sennheiser|森海塞尔',
      'JBL',
      'Anker Soundcore|声阔',
    ],
    kinds: [
      {
        nouns: [
          'True Wireless Earbuds|真无线耳机',
          'Bluetooth Earbuds|蓝牙耳机',
          'Open-Ear Headphones|开放式耳机',
        ],
        adjectives: ['Noise-Cancelling|主动降噪', 'Sports|运动', 'Hi-Res|高解析'],
        price: [99, 1999],
      },
      {
        nouns: ['Over-Ear Headphones|头戴式耳机'],
        adjectives: ['Noise-Cancelling|主动降噪', 'Wireless|无线', 'Gaming|电竞'],
        price: [199, 2999],
      },
      {
        nouns: ['Bluetooth Speaker|蓝牙音箱', 'Portable Speaker|便携音箱'],
        adjectives: ['Waterproof|防水', 'Outdoor|户外', 'Mini|迷你'],
        price: [99, 1499],
      },
    ],
    features: [
      'up to 30 hours of battery life|长达30小时续航',
      'Bluetooth 5.3 with multipoint pairing|蓝牙5.3多设备连接',
      'deep, balanced sound|低音浑厚、音色均衡',
      'clear calls with AI noise reduction|AI通话降噪',
      'IPX5 water resistance|IPX5防水',
    ],
    uses: ['commuting, workouts and calls|通勤、运动与通话'],
    price: [99, 1999],
    axes: [TECH_COLOURS],
  },
  'phone-gadgets': {
    brands: ['Ulanzi|优篮子', 'Baseus|倍思', 'Ugreen|绿联', 'DJI|大疆', 'Pico', 'Joby'],
    kinds: [
      {
        nouns: ['Phone Mount|手机支架', 'Car Phone Holder|车载手机支架'],
        adjectives: ['Magnetic|磁吸', 'Air-Vent|出风口', 'Dashboard|中控台', 'Foldable|折叠'],
        price: [19, 159],
        features: ['one-handed mounting|单手取放', 'a sturdy aluminium build|铝合金机身坚固耐用'],
      },
      {
        nouns: ['Selfie Stick Tripod|自拍杆三脚架', 'Phone Gimbal|手机云台'],
        adjectives: ['Bluetooth|蓝牙', 'Extendable|加长', '3-Axis|三轴'],
        price: [59, 999],
        features: ['a Bluetooth remote shutter|蓝牙遥控快门', 'smooth face tracking|智能人脸跟随'],
      },
      {
        nouns: ['VR Headset|VR眼镜', 'Phone Camera Lens Kit|手机镜头套装'],
        adjectives: ['Wide-Angle|广角'],
        price: [49, 2999],
        features: ['multi-coated optical glass|多层镀膜光学镜片', 'adjustable focus|焦距可调'],
      },
    ],
    features: ['wide phone compatibility|兼容多种机型', 'a carry pouch|附收纳袋'],
    uses: ['driving, vlogging and travel|驾车、拍Vlog与旅行'],
    price: [19, 999],
    axes: [{ key: 'color', options: ['Black|黑色', 'White|白色', 'Grey|灰色'] }],
  },
};
