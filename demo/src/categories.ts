import type { DemoCategory } from './types';

/** A node of the demo tree: "slug|English|中文", then its children. Leaves are where products go. */
type Node = readonly [label: string, children?: readonly Node[]];

/**
 * The demo category tree, modelled on how JD and Tmall group a general store: ten departments, some split
 * once more (Large Appliances › Televisions), most directly into leaves.
 */
const TREE: readonly Node[] = [
  [
    'phones-digital|Phones & Digital|手机数码',
    [
      [
        'mobile|Mobile Phones & Accessories|手机通讯',
        [
          ['phones|Mobile Phones|手机'],
          ['phone-cases|Phone Cases|手机壳/保护套'],
          ['screen-protectors|Screen Protectors|手机贴膜'],
          ['chargers-cables|Chargers & Cables|充电器/数据线'],
          ['power-banks|Power Banks & Batteries|移动电源/电池'],
        ],
      ],
      [
        'smart-audio|Smart Devices & Audio|智能设备与影音',
        [
          ['smartwatch-accessories|Smartwatch Accessories|智能手表配件'],
          ['headphones|Headphones & Speakers|耳机/音箱'],
          ['phone-gadgets|Mounts, Selfie & VR|手机支架/自拍/VR'],
        ],
      ],
    ],
  ],
  [
    'computers-office|Computers & Office|电脑办公',
    [
      ['laptops|Laptops|笔记本电脑'],
      ['monitors|Monitors|显示器'],
      ['keyboards-mice|Keyboards & Mice|键盘鼠标'],
      ['storage-devices|SSDs & USB Drives|硬盘/U盘'],
      ['printers|Printers|打印机'],
    ],
  ],
  [
    'home-appliances|Home Appliances|家用电器',
    [
      [
        'large-appliances|Large Appliances|大家电',
        [
          ['televisions|Televisions|电视'],
          ['refrigerators|Refrigerators|冰箱'],
          ['washing-machines|Washing Machines|洗衣机'],
          ['air-conditioners|Air Conditioners|空调'],
        ],
      ],
      [
        'kitchen-appliances|Kitchen Appliances|厨房小电',
        [['rice-cookers|Rice Cookers|电饭煲'], ['air-fryers|Air Fryers|空气炸锅']],
      ],
      ['household-appliances|Household Appliances|生活电器', [['robot-vacuums|Robot Vacuums|扫地机器人']]],
    ],
  ],
  [
    'fashion|Fashion|服装鞋包',
    [
      [
        "womens-clothing|Women's Clothing|女装",
        [['dresses|Dresses|连衣裙'], ["womens-tops|Women's Tops|女士上衣"]],
      ],
      [
        "mens-clothing|Men's Clothing|男装",
        [
          ["mens-tshirts|Men's T-Shirts|男士T恤"],
          ["mens-jackets|Men's Jackets|男士外套"],
          ['jeans|Jeans|牛仔裤'],
        ],
      ],
      [
        'shoes-bags|Shoes & Bags|鞋靴箱包',
        [['casual-shoes|Casual Shoes|休闲鞋'], ['handbags|Handbags|女包'], ['luggage|Luggage|行李箱']],
      ],
    ],
  ],
  [
    'beauty|Beauty & Personal Care|美妆个护',
    [
      ['skincare|Skincare|面部护肤'],
      ['makeup|Makeup|彩妆'],
      ['fragrance|Fragrance|香水'],
      ['hair-care|Hair Care|洗发护发'],
      ['personal-care-appliances|Personal Care Appliances|个护电器'],
    ],
  ],
  [
    'food-fresh|Food & Fresh|食品生鲜',
    [
      ['snacks|Snacks|休闲零食'],
      ['tea|Tea|茶叶'],
      ['coffee|Coffee|咖啡'],
      ['fresh-fruit|Fresh Fruit|新鲜水果'],
      ['dairy|Dairy|牛奶乳品'],
      ['grain-oil|Rice, Flour & Oil|米面粮油'],
    ],
  ],
  [
    'home-living|Home & Living|家居家装',
    [
      ['bedding|Bedding|床上用品'],
      ['cookware|Cookware|锅具'],
      ['storage-organization|Storage & Organisation|收纳整理'],
      ['lighting|Lighting|灯具'],
      ['furniture|Furniture|家具'],
    ],
  ],
  [
    'sports-outdoors|Sports & Outdoors|运动户外',
    [
      ['running-shoes|Running Shoes|跑步鞋'],
      ['sportswear|Sportswear|运动服'],
      ['fitness-equipment|Fitness Equipment|健身器材'],
      ['camping|Camping Gear|露营装备'],
      ['cycling|Cycling|骑行装备'],
    ],
  ],
  [
    'baby-toys|Baby & Toys|母婴玩具',
    [
      ['diapers|Diapers|纸尿裤'],
      ['infant-formula|Infant Formula|奶粉'],
      ['strollers|Strollers|婴儿推车'],
      ['toys|Toys & Building Blocks|益智玩具/积木'],
    ],
  ],
  [
    'books-stationery|Books & Stationery|图书文具',
    [
      ["childrens-books|Children's Books|童书"],
      ['literature|Literature & Fiction|文学小说'],
      ['pens|Pens|笔类'],
      ['notebooks|Notebooks & Planners|本册/手账'],
    ],
  ],
];

/** "phone-cases" → "cat_phone_cases": readable in logs and fixtures, stable across runs. */
export const categoryIdFor = (slug: string): string => `cat_${slug.replace(/-/g, '_')}`;

export interface DemoCategoryTree {
  /** Parents before children, departments in TREE order. */
  categories: DemoCategory[];
  leaves: DemoCategory[];
  /** Top-level department slug of every category, by id. */
  departmentOf: Map<string, string>;
}

export function buildCategoryTree(): DemoCategoryTree {
  const categories: DemoCategory[] = [];
  const leaves: DemoCategory[] = [];
  const departmentOf = new Map<string, string>();
  const visit = (node: Node, parent: DemoCategory | null, department: string | null) => {
    const [slug, name, nameZh] = node[0].split('|') as [string, string, string];
    const category: DemoCategory = {
      id: categoryIdFor(slug),
      slug,
      name,
      nameZh,
      parentId: parent?.id ?? null,
    };
    categories.push(category);
    departmentOf.set(category.id, department ?? slug);
    if (!node[1]?.length) leaves.push(category);
    for (const child of node[1] ?? []) visit(child, category, department ?? slug);
  };
  for (const node of TREE) visit(node, null, null);
  return { categories, leaves, departmentOf };
}
