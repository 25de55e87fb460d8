/**
 * Which ImageNet-1k classes a product photo of each catalog category may plausibly show. ImageNet has no
 * class for many products (chargers, screen protectors, skincare jars, air conditioners, strollers …), so
 * those categories are declared `null`: uncovered, the check says nothing rather than guess. Keys are
 * category slugs of the catalog tree (demo/src/categories.ts); core's ids (`cat_phone_cases`) are
 * accepted too. A category missing from the table falls back to its nearest listed ancestor.
 *
 * The lists are generous on purpose: the classifier sees a phone case as `cellular telephone`, `iPod`,
 * `wallet` or `hand-held computer`, and a false "does not fit" costs an honest seller a manual review.
 */
const PHONE_LIKE = [
  'cellular telephone',
  'hand-held computer',
  'iPod',
  'remote control',
  'dial telephone',
  'pay-phone',
];
const SCREEN_LIKE = [
  'screen',
  'monitor',
  'television',
  'home theater',
  'entertainment center',
  'desktop computer',
];
const COMPUTER_LIKE = [
  'laptop',
  'notebook',
  'desktop computer',
  'computer keyboard',
  'space bar',
  'mouse',
  'monitor',
  'screen',
];
const TOPS = [
  'jersey',
  'sweatshirt',
  'cardigan',
  'suit',
  'kimono',
  'poncho',
  'stole',
  'lab coat',
  'apron',
  'bulletproof vest',
];
const DRESSES = [
  'gown',
  'overskirt',
  'hoopskirt',
  'miniskirt',
  'sarong',
  'kimono',
  'abaya',
  'cardigan',
  'jersey',
  'maillot',
];
const JACKETS = [
  'suit',
  'trench coat',
  'lab coat',
  'fur coat',
  'bulletproof vest',
  'cardigan',
  'military uniform',
  'sweatshirt',
  'poncho',
];
const SHOES = ['running shoe', 'Loafer', 'clog', 'sandal', 'cowboy boot', 'sock', 'shoe shop'];
const BAGS = ['purse', 'mailbag', 'backpack', 'wallet', 'plastic bag'];
const COSMETICS = [
  'lotion',
  'sunscreen',
  'face powder',
  'lipstick',
  'perfume',
  'hair spray',
  'soap dispenser',
  'pill bottle',
  'water bottle',
  'pop bottle',
];
const PACKAGED_FOOD = ['packet', 'carton', 'confectionery', 'grocery store', 'plastic bag'];
const BOTTLED = [
  'water bottle',
  'pop bottle',
  'wine bottle',
  'beer bottle',
  'milk can',
  'water jug',
  'whiskey jug',
];
const FRUIT = [
  'Granny Smith',
  'strawberry',
  'orange',
  'lemon',
  'fig',
  'pineapple',
  'banana',
  'jackfruit',
  'custard apple',
  'pomegranate',
  'bell pepper',
  'cucumber',
  'broccoli',
  'cauliflower',
  'head cabbage',
  'mushroom',
  'corn',
  'ear',
  'acorn squash',
  'butternut squash',
  'spaghetti squash',
  'zucchini',
  'artichoke',
  'grocery store',
  'hip',
];
const POTS = [
  'wok',
  'frying pan',
  'caldron',
  'Dutch oven',
  'Crock Pot',
  'pot',
  'spatula',
  'ladle',
  'mixing bowl',
  'hot pot',
  'teapot',
  'coffeepot',
];
const FURNITURE = [
  'dining table',
  'folding chair',
  'rocking chair',
  'barber chair',
  'throne',
  'studio couch',
  'desk',
  'bookcase',
  'wardrobe',
  'chiffonier',
  'china cabinet',
  'four-poster',
  'park bench',
  'entertainment center',
  'file',
  'cradle',
  'crib',
];
const BEDDING = ['quilt', 'pillow', 'four-poster', 'studio couch', 'crib', 'cradle', 'sleeping bag'];
const STORAGE = [
  'crate',
  'chest',
  'hamper',
  'bucket',
  'plastic bag',
  'wardrobe',
  'chiffonier',
  'bookcase',
  'file',
  'carton',
  'packet',
  'pencil box',
];
const LIGHTS = ['table lamp', 'lampshade', 'spotlight', 'torch', 'candle'];
const FITNESS = ['dumbbell', 'barbell', 'punching bag', 'horizontal bar', 'parallel bars', 'balance beam'];
const CAMPING = [
  'mountain tent',
  'sleeping bag',
  'backpack',
  'torch',
  'water bottle',
  'water jug',
  'Dutch oven',
  'folding chair',
];
const CYCLING = [
  'mountain bike',
  'bicycle-built-for-two',
  'tricycle',
  'unicycle',
  'crash helmet',
  'disk brake',
];
const SPORTSWEAR = [
  'jersey',
  'sweatshirt',
  'swimming trunks',
  'maillot',
  'miniskirt',
  'running shoe',
  'bikini',
];
const TOYS = [
  'teddy',
  'jigsaw puzzle',
  'toyshop',
  'pinwheel',
  'balloon',
  'crossword puzzle',
  'rubber eraser',
  'puck',
  'go-kart',
  'racer',
];
const BOOKS = [
  'comic book',
  'book jacket',
  'menu',
  'binder',
  'envelope',
  'bookshop',
  'bookcase',
  'crossword puzzle',
  'notebook',
];
const PENS = [
  'ballpoint',
  'fountain pen',
  'quill',
  'pencil box',
  'pencil sharpener',
  'rubber eraser',
  'letter opener',
];

export const CATEGORY_CLASSES: Readonly<Record<string, readonly string[] | null>> = {
  // Phones & Digital
  phones: PHONE_LIKE,
  'phone-cases': [...PHONE_LIKE, 'wallet', 'purse', 'pencil box'],
  'screen-protectors': null,
  'chargers-cables': null,
  'power-banks': null,
  'smartwatch-accessories': [
    'digital watch',
    'analog clock',
    'stopwatch',
    'buckle',
    'digital clock',
    'wall clock',
  ],
  headphones: ['loudspeaker', 'microphone', 'radio', 'iPod', 'stethoscope', 'hair slide', 'neck brace'],
  'phone-gadgets': [...PHONE_LIKE, 'tripod', 'binoculars', 'reflex camera', 'Polaroid camera'],
  // Computers & Office
  laptops: COMPUTER_LIKE,
  monitors: [...SCREEN_LIKE, 'laptop', 'notebook'],
  'keyboards-mice': [
    'computer keyboard',
    'space bar',
    'typewriter keyboard',
    'mouse',
    'remote control',
    'joystick',
    'laptop',
    'notebook',
  ],
  'storage-devices': null,
  printers: ['printer', 'photocopier', 'cash machine', 'modem'],
  // Home Appliances
  televisions: [...SCREEN_LIKE, 'laptop'],
  refrigerators: ['refrigerator', 'washer', 'dishwasher', 'medicine chest', 'wardrobe'],
  'washing-machines': ['washer', 'dishwasher', 'refrigerator'],
  'air-conditioners': null,
  'rice-cookers': [
    'Crock Pot',
    'caldron',
    'Dutch oven',
    'pot',
    'hot pot',
    'espresso maker',
    'toaster',
    'waffle iron',
  ],
  'air-fryers': [
    'Crock Pot',
    'toaster',
    'espresso maker',
    'coffeepot',
    'waffle iron',
    'microwave',
    'space heater',
  ],
  'robot-vacuums': ['vacuum', 'loudspeaker', 'Crock Pot', 'scale', 'waffle iron'],
  // Fashion
  dresses: DRESSES,
  'womens-tops': [...TOPS, ...DRESSES],
  'mens-tshirts': TOPS,
  'mens-jackets': JACKETS,
  jeans: ['jean', 'miniskirt', 'sweatshirt', 'jersey'],
  'casual-shoes': SHOES,
  handbags: BAGS,
  luggage: [...BAGS, 'chest', 'safe', 'crate'],
  // Beauty & Personal Care
  skincare: null,
  makeup: COSMETICS,
  fragrance: [
    'perfume',
    'lotion',
    'water bottle',
    'pop bottle',
    'soap dispenser',
    'pill bottle',
    'hair spray',
  ],
  'hair-care': null,
  'personal-care-appliances': null,
  // Food & Fresh
  snacks: [
    ...PACKAGED_FOOD,
    'pretzel',
    'bagel',
    'French loaf',
    'ice cream',
    'ice lolly',
    'chocolate sauce',
    'trifle',
  ],
  tea: [...PACKAGED_FOOD, 'teapot', 'cup', 'coffee mug', 'espresso'],
  coffee: [...PACKAGED_FOOD, 'espresso', 'cup', 'coffee mug', 'espresso maker', 'coffeepot'],
  'fresh-fruit': FRUIT,
  dairy: [...BOTTLED, 'carton', 'packet'],
  'grain-oil': [...PACKAGED_FOOD, ...BOTTLED],
  // Home & Living
  bedding: BEDDING,
  cookware: POTS,
  'storage-organization': STORAGE,
  lighting: LIGHTS,
  furniture: FURNITURE,
  // Sports & Outdoors
  'running-shoes': SHOES,
  sportswear: SPORTSWEAR,
  'fitness-equipment': FITNESS,
  camping: CAMPING,
  cycling: CYCLING,
  // Baby & Toys
  diapers: ['diaper', 'packet', 'carton', 'plastic bag'],
  'infant-formula': null,
  strollers: null,
  toys: TOYS,
  // Books & Stationery
  'childrens-books': BOOKS,
  literature: BOOKS,
  pens: PENS,
  notebooks: [...BOOKS, 'pencil box'],
};

/** Classes of the covered leaves under each branch, for a product filed under a branch of the tree. */
const BRANCHES: Readonly<Record<string, readonly string[]>> = {
  'phones-digital': ['mobile', 'smart-audio'],
  mobile: ['phones', 'phone-cases', 'smartwatch-accessories'],
  'smart-audio': ['smartwatch-accessories', 'headphones', 'phone-gadgets'],
  'computers-office': ['laptops', 'monitors', 'keyboards-mice', 'printers'],
  'home-appliances': ['large-appliances', 'kitchen-appliances', 'household-appliances'],
  'large-appliances': ['televisions', 'refrigerators', 'washing-machines'],
  'kitchen-appliances': ['rice-cookers', 'air-fryers'],
  'household-appliances': ['robot-vacuums'],
  fashion: ['womens-clothing', 'mens-clothing', 'shoes-bags'],
  'womens-clothing': ['dresses', 'womens-tops'],
  'mens-clothing': ['mens-tshirts', 'mens-jackets', 'jeans'],
  'shoes-bags': ['casual-shoes', 'handbags', 'luggage'],
  'food-fresh': ['snacks', 'tea', 'coffee', 'fresh-fruit', 'dairy', 'grain-oil'],
  'home-living': ['bedding', 'cookware', 'storage-organization', 'lighting', 'furniture'],
  'sports-outdoors': ['running-shoes', 'sportswear', 'fitness-equipment', 'camping', 'cycling'],
  'books-stationery': ['childrens-books', 'literature', 'pens', 'notebooks'],
};

/** Whether a photo fits: a mapped class in the top 5, or the mapped classes' probabilities summing to this. */
export const CATEGORY_MATCH_MIN_SCORE = 0.1;
export const CATEGORY_MATCH_TOP_K = 5;

/** `cat_phone_cases` → `phone-cases`; slugs pass through. */
export function categorySlug(entry: string): string {
  return entry.startsWith('cat_') ? entry.slice(4).replace(/_/g, '-') : entry;
}

export interface CategoryMatcher {
  /** Class indices for the deepest covered entry of the path; null when the path is not covered. */
  classesFor(categoryPath: readonly string[]): ReadonlySet<number> | null;
}

/**
 * Resolves the table's class names against the model's label list once. An unknown name is a bug in the
 * table (or a different label list), so it throws at load time rather than silently never matching.
 */
export function createCategoryMatcher(labels: readonly string[]): CategoryMatcher {
  const indicesByName = new Map<string, number[]>();
  labels.forEach((label, index) => indicesByName.set(label, [...(indicesByName.get(label) ?? []), index]));
  const resolve = (names: readonly string[]): Set<number> =>
    new Set(
      names.flatMap((name) => {
        const indices = indicesByName.get(name);
        if (!indices) throw new Error(`category mapping names an unknown ImageNet class: ${name}`);
        return indices;
      }),
    );
  const bySlug = new Map<string, Set<number> | null>();
  for (const [slug, names] of Object.entries(CATEGORY_CLASSES))
    bySlug.set(slug, names ? resolve(names) : null);
  const branchClasses = (slug: string): Set<number> | null => {
    const children = BRANCHES[slug];
    if (!children) return bySlug.get(slug) ?? null;
    const union = new Set<number>();
    for (const child of children) for (const i of branchClasses(child) ?? []) union.add(i);
    return union.size ? union : null;
  };
  for (const slug of Object.keys(BRANCHES)) bySlug.set(slug, branchClasses(slug));
  return {
    classesFor(categoryPath) {
      for (let i = categoryPath.length - 1; i >= 0; i--) {
        const slug = categorySlug(categoryPath[i]!);
        if (bySlug.has(slug)) return bySlug.get(slug) ?? null;
      }
      return null;
    },
  };
}

export interface CategoryVerdict {
  matches: boolean | null;
  score: number;
}

export function matchCategory(
  probabilities: Float32Array,
  classes: ReadonlySet<number> | null,
  topIndices: readonly number[],
): CategoryVerdict {
  if (!classes) return { matches: null, score: 0 };
  let score = 0;
  for (const index of classes) score += probabilities[index] ?? 0;
  const inTop = topIndices.slice(0, CATEGORY_MATCH_TOP_K).some((index) => classes.has(index));
  return { matches: inTop || score >= CATEGORY_MATCH_MIN_SCORE, score: Math.min(1, score) };
}
