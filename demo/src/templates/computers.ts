import type { LeafTemplate } from '../types';

/** Computers & Office. */
export const COMPUTER_TEMPLATES: Record<string, LeafTemplate> = {
  laptops: {
    weight: 1.2,
    brands: [
      { name: 'Lenovo|联想', series: ['ThinkPad X1 Carbon', 'Xiaoxin Pro {14-16}', 'Yoga Air {14-15}'] },
      { name: 'Huawei|华为', series: ['MateBook X Pro', 'MateBook {14-16}', 'MateBook D {14-16}'] },
      { name: 'Apple|苹果', series: ['MacBook Air {13-15}', 'MacBook Pro {14-16}'] },
      { name: 'Dell|戴尔', series: ['XPS {13-15}', 'Inspiron {14-16}'] },
      { name: 'ASUS|华硕', series: ['Zenbook {14-15}', 'Vivobook S{14-16}'] },
      { name: 'HP|惠普', series: ['Spectre x360', 'Envy {13-15}'] },
      { name: 'Xiaomi|小米', series: ['Redmi Book Pro {14-16}', 'Xiaomi Book {14-16}'] },
    ],
    kinds: [
      {
        nouns: ['Laptop|笔记本电脑', 'Thin and Light Laptop|轻薄本'],
        specs: ['Intel Core Ultra 5', 'Intel Core Ultra 7*1.15', 'AMD Ryzen 7*1.05'],
      },
      {
        nouns: ['Gaming Laptop|游戏本'],
        brands: [
          { name: 'Lenovo|联想', series: ['Legion Y{7-9}000P', 'Legion R{7-9}000P'] },
          { name: 'ASUS|华硕', series: ['ROG Zephyrus G{14-16}', 'TUF Gaming F{15-16}'] },
          { name: 'HP|惠普', series: ['OMEN {16-17}', 'Victus {15-16}'] },
          { name: 'Dell|戴尔', series: ['Alienware m{16-18}'] },
          { name: 'MECHREVO|机械革命', series: ['Jiaolong {15-16}'] },
        ],
        specs: ['RTX 4060', 'RTX 4070*1.2'],
        price: [6999, 14999],
        features: ['a 240Hz esports display|240Hz电竞屏', 'a vapour-chamber cooling system|均热板散热'],
      },
    ],
    features: [
      'a 2.8K 120Hz display|2.8K 120Hz高刷屏',
      'an all-day battery|超长续航',
      'a backlit keyboard|背光键盘',
      'Wi-Fi 6E and Thunderbolt 4|Wi-Fi 6E与雷电4接口',
      'a metal unibody chassis|全金属机身',
    ],
    uses: ['work, study and creative projects|办公、学习和创作'],
    price: [3499, 12999],
    axes: [
      { key: 'memory', options: ['16GB+512GB', '16GB+1TB*1.12', '32GB+1TB*1.3'] },
      { key: 'color', options: ['Silver|银色', 'Space Grey|深空灰', 'Midnight Blue|午夜蓝'], max: 2 },
    ],
  },
  monitors: {
    brands: ['Dell|戴尔', 'LG', 'Samsung|三星', 'AOC', 'BenQ|明基', 'Xiaomi|小米', 'HKC|惠科'],
    kinds: [
      {
        nouns: ['Monitor|显示器', 'Office Monitor|办公显示器'],
        adjectives: ['4K IPS|4K IPS', 'Eye-Care|护眼', 'USB-C|Type-C'],
      },
      {
        nouns: ['Gaming Monitor|电竞显示器'],
        adjectives: ['165Hz|165Hz', '240Hz|240Hz', 'Curved|曲面'],
        price: [899, 4999],
      },
    ],
    specs: ['24-inch*0.7|24英寸', '27-inch|27英寸', '32-inch*1.4|32英寸', '34-inch*1.6|34英寸'],
    specAt: 'start',
    features: [
      'factory-calibrated colour|出厂校色',
      'a height-adjustable stand|升降旋转支架',
      'low blue light and flicker-free backlight|低蓝光不闪屏',
      'thin bezels on three sides|三边窄边框',
    ],
    uses: ['office work, design and gaming|办公、设计与游戏'],
    price: [599, 3999],
    axes: [{ key: 'edition', options: ['Standard Stand|标准支架', 'Lift Stand*1.1|升降支架'] }],
  },
  'keyboards-mice': {
    brands: ['Logitech|罗技', 'Razer|雷蛇', 'Keychron', 'Rapoo|雷柏', 'Cherry|樱桃', 'Dareu|达尔优'],
    kinds: [
      {
        nouns: ['Mechanical Keyboard|机械键盘'],
        adjectives: ['Wireless|无线', 'Tri-Mode|三模', 'Hot-Swappable|热插拔', 'RGB|RGB'],
        price: [199, 999],
        axes: [
          {
            key: 'switch',
            options: ['Red Switch|红轴', 'Brown Switch|茶轴', 'Blue Switch|青轴', 'Silent Switch*1.1|静音轴'],
          },
        ],
      },
      {
        nouns: ['Mouse|鼠标', 'Gaming Mouse|游戏鼠标'],
        adjectives: ['Wireless|无线', 'Silent|静音', 'Ergonomic|人体工学', 'Lightweight|轻量化'],
        price: [59, 699],
      },
      {
        nouns: ['Keyboard and Mouse Set|键鼠套装'],
        adjectives: ['Wireless|无线', 'Silent|静音'],
        price: [89, 399],
      },
    ],
    features: [
      'a 2.4GHz receiver plus Bluetooth|2.4G与蓝牙双模连接',
      'months of battery life|长效续航',
      'programmable keys|可编程按键',
      'Windows and macOS layouts|兼容Windows与macOS',
    ],
    uses: ['office work and gaming|办公和游戏'],
    price: [59, 699],
    axes: [{ key: 'color', options: ['Black|黑色', 'White|白色', 'Pink|粉色', 'Grey|灰色'] }],
  },
  'storage-devices': {
    brands: [
      'Samsung|三星',
      'Western Digital|西部数据',
      'Kingston|金士顿',
      'SanDisk|闪迪',
      'Lexar|雷克沙',
      'Crucial|英睿达',
    ],
    kinds: [
      {
        nouns: ['NVMe SSD|NVMe固态硬盘'],
        adjectives: ['PCIe 4.0|PCIe 4.0', 'M.2|M.2', 'Gaming|游戏'],
        price: [299, 1299],
        features: [
          'read speeds up to 7,000MB/s|读取速度高达7000MB/s',
          'a graphene heat spreader|石墨烯散热贴',
        ],
      },
      {
        nouns: ['Portable SSD|移动固态硬盘'],
        adjectives: ['USB 3.2|USB 3.2', 'Rugged|三防'],
        price: [399, 1599],
        features: [
          'transfer speeds up to 1,050MB/s|传输速度高达1050MB/s',
          'shock-resistant construction|抗摔耐震',
        ],
      },
      {
        nouns: ['USB Flash Drive|U盘'],
        adjectives: ['Metal|金属', 'Dual-Connector|双接口', 'High-Speed|高速'],
        price: [29, 199],
        features: ['a keyring loop|钥匙扣设计', 'USB-C and USB-A connectors|Type-C与USB-A双接口'],
      },
    ],
    features: ['hardware encryption|硬件加密', 'a five-year limited warranty|五年质保'],
    uses: ['backups, games and large files|备份、游戏和大文件存储'],
    price: [29, 1299],
    axes: [{ key: 'capacity', options: ['256GB', '512GB*1.6', '1TB*2.6', '2TB*4.6'] }],
  },
  printers: {
    weight: 0.6,
    brands: ['HP|惠普', 'Canon|佳能', 'Epson|爱普生', 'Brother|兄弟', 'Pantum|奔图'],
    kinds: [
      {
        nouns: ['Inkjet Printer|喷墨打印机', 'Ink Tank Printer|墨仓式打印机'],
        adjectives: ['Wireless|无线', 'All-in-One|多功能一体'],
      },
      {
        nouns: ['Laser Printer|激光打印机'],
        adjectives: ['Mono|黑白', 'Duplex|自动双面'],
        price: [699, 2999],
      },
    ],
    features: [
      'printing straight from a phone app|手机App直连打印',
      'low cost per page|单页打印成本低',
      'scan and copy in one machine|打印复印扫描一体',
    ],
    uses: ['home study and small offices|家用学习与小型办公'],
    price: [499, 2499],
    axes: [{ key: 'edition', options: ['Standard|标配', 'With Extra Ink*1.15|加送墨水套装'] }],
  },
};
