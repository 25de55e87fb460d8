import type { DemoSeller } from './types';

/** slug | English shop name | 中文店名 | city | owner | departments the shop sells in */
const SHOPS: readonly (readonly [string, string, string, string, string, readonly string[]])[] = [
  ['huaqiangbei-digital', 'Huaqiangbei Digital', '华强北数码', 'Shenzhen', '陈伟', ['phones-digital']],
  ['pearl-river-mobile', 'Pearl River Mobile', '珠江手机配件', 'Guangzhou', '黄丽', ['phones-digital']],
  [
    'nanshan-smart-tech',
    'Nanshan Smart Tech',
    '南山智能科技',
    'Shenzhen',
    '林浩',
    ['phones-digital', 'computers-office'],
  ],
  ['zhongguancun-pc', 'Zhongguancun PC Mall', '中关村电脑城', 'Beijing', '王磊', ['computers-office']],
  [
    'xuhui-office',
    'Xuhui Office Supplies',
    '徐汇办公',
    'Shanghai',
    '张静',
    ['computers-office', 'books-stationery'],
  ],
  ['shunde-appliances', 'Shunde Appliances', '顺德家电', 'Foshan', '何志强', ['home-appliances']],
  ['ningbo-kitchen', 'Ningbo Kitchen Electrics', '宁波厨房小电', 'Ningbo', '周敏', ['home-appliances']],
  ['hangzhou-silk-style', 'Hangzhou Silk & Style', '杭州丝尚女装', 'Hangzhou', '沈婷', ['fashion']],
  ['humen-menswear', 'Humen Menswear', '虎门男装', 'Dongguan', '李军', ['fashion']],
  ['wenzhou-leather', 'Wenzhou Shoes & Leather', '温州鞋履皮具', 'Wenzhou', '郑杰', ['fashion']],
  ['west-lake-beauty', 'West Lake Beauty', '西湖美妆', 'Hangzhou', '吴倩', ['beauty']],
  ['bund-cosmetics', 'Bund Cosmetics', '外滩美妆', 'Shanghai', '徐丹', ['beauty']],
  ['yunnan-highland-farms', 'Yunnan Highland Farms', '云南高原农场', 'Kunming', '杨帆', ['food-fresh']],
  ['wuyi-tea-house', 'Wuyi Tea House', '武夷茶庄', 'Fuzhou', '林芳', ['food-fresh']],
  ['chengdu-snack-street', 'Chengdu Snack Street', '成都零食铺', 'Chengdu', '刘洋', ['food-fresh']],
  ['foshan-furniture', 'Foshan Furniture', '佛山家具城', 'Foshan', '梁国华', ['home-living']],
  ['suzhou-home-textiles', 'Suzhou Home Textiles', '苏州家纺', 'Suzhou', '朱秀英', ['home-living']],
  ['yiwu-home-goods', 'Yiwu Home Goods', '义乌家居百货', 'Yiwu', '楼建平', ['home-living', 'baby-toys']],
  ['jinjiang-sports', 'Jinjiang Sports', '晋江运动', 'Quanzhou', '蔡明', ['sports-outdoors']],
  ['xiamen-outdoor', 'Xiamen Outdoor Co.', '厦门户外', 'Xiamen', '许志伟', ['sports-outdoors']],
  ['shantou-toy-box', 'Shantou Toy Box', '汕头玩具盒子', 'Shantou', '郭晓燕', ['baby-toys']],
  ['panda-baby', 'Little Panda Baby', '小熊猫母婴', 'Chengdu', '邓雪', ['baby-toys']],
  ['jinling-books', 'Jinling Books', '金陵书香', 'Nanjing', '孙博', ['books-stationery']],
  ['wuhan-stationery', 'Riverside Stationery', '江城文具', 'Wuhan', '胡晨', ['books-stationery']],
];

const CITY_ZH: Record<string, string> = {
  Beijing: '北京',
  Changsha: '长沙',
  Chengdu: '成都',
  Dongguan: '东莞',
  Foshan: '佛山',
  Fuzhou: '福州',
  Guangzhou: '广州',
  Hangzhou: '杭州',
  Kunming: '昆明',
  Nanjing: '南京',
  Ningbo: '宁波',
  Quanzhou: '泉州',
  Shanghai: '上海',
  Shantou: '汕头',
  Shenzhen: '深圳',
  Suzhou: '苏州',
  Wenzhou: '温州',
  Wuhan: '武汉',
  Xiamen: '厦门',
  Yiwu: '义乌',
};

export const cityZh = (city: string): string => CITY_ZH[city] ?? city;

export interface SellerRoster {
  sellers: DemoSeller[];
  /** Seller indexes that sell in each top-level department; never empty for a known department. */
  sellersByDepartment: Map<string, number[]>;
}

/**
 * Shops specialise, as on Tmall: a phone shop sells phones and accessories, a tea house sells tea. Past the 24 named
 * shops, branches of them open ("Huaqiangbei Digital No. 2"); with fewer, each department falls to a shop by turn.
 */
export function buildSellers(count: number, departments: readonly string[]): SellerRoster {
  const sellers: DemoSeller[] = [];
  const sellersByDepartment = new Map<string, number[]>(departments.map((d) => [d, []]));
  for (let i = 0; i < count; i++) {
    const [slug, name, nameZh, city, owner, shopDepartments] = SHOPS[i % SHOPS.length]!;
    const branch = Math.floor(i / SHOPS.length) + 1;
    const number = String(i + 1).padStart(2, '0');
    const shopSlug = branch === 1 ? slug : `${slug}-${branch}`;
    sellers.push({
      id: `seller_${number}`,
      email: `${shopSlug}@example.com`,
      name: owner,
      shopName: branch === 1 ? name : `${name} No. ${branch}`,
      shopNameZh: branch === 1 ? nameZh : `${nameZh}${branch}号店`,
      shopSlug,
      city,
    });
    for (const department of shopDepartments) sellersByDepartment.get(department)?.push(i);
  }
  departments.forEach((department, d) => {
    const list = sellersByDepartment.get(department)!;
    if (list.length === 0 && count > 0) list.push(d % count);
  });
  return { sellers, sellersByDepartment };
}
