import type { LeafTemplate } from '../types';
import { BASIC_COLOURS } from './options';

/** Baby & Toys, and Books & Stationery. */
export const FAMILY_TEMPLATES: Record<string, LeafTemplate> = {
  diapers: {
    brands: [
      'Pampers|帮宝适',
      'Huggies|好奇',
      'Merries|花王妙而舒',
      'MamyPoko|妈咪宝贝',
      'BabyCare',
      'Moony|尤妮佳',
    ],
    kinds: [
      {
        nouns: ['Diapers|纸尿裤', 'Pull-Up Pants|拉拉裤'],
        adjectives: [
          'Ultra-Thin|超薄',
          'Breathable|透气',
          'Overnight|夜用',
          'Cloud-Soft|云柔',
          'Dry-Feel|干爽',
        ],
        specs: ['Jumbo Pack*1.6|量贩装', 'Value Pack|箱装'],
      },
    ],
    features: [
      'a soft, breathable top sheet|柔软透气表层',
      '12-hour leak protection|12小时防漏',
      'a wetness indicator|尿显提示',
    ],
    uses: ['day and night|日夜使用'],
    price: [79, 299],
    axes: [{ key: 'size', options: ['NB', 'S', 'M', 'L*1.05', 'XL*1.1'] }],
  },
  'infant-formula': {
    weight: 0.8,
    brands: ['Feihe|飞鹤', 'Aptamil|爱他美', 'a2', 'Junlebao|君乐宝', 'Illuma|启赋', 'Yili|伊利'],
    kinds: [
      {
        nouns: ['Infant Formula|婴幼儿配方奶粉'],
        adjectives: ['Stage 1|1段', 'Stage 2|2段', 'Stage 3|3段'],
        specs: ['800g', '900g'],
      },
    ],
    features: [
      'added DHA, ARA and lactoferrin|添加DHA、ARA与乳铁蛋白',
      'milk from a dedicated pasture|专属牧场奶源',
      'easy to dissolve|易冲调',
    ],
    uses: ['growing babies|宝宝成长阶段'],
    price: [199, 499],
    axes: [{ key: 'pack', options: ['1 Tin|1罐', '2 Tins*1.95|2罐', '6 Tins*5.6|6罐'] }],
  },
  strollers: {
    weight: 0.7,
    brands: ['Goodbaby|好孩子', 'Babyzen|宝宝禅', 'Cybex|赛百斯', 'Bugaboo|博格步', 'Ledibaby|乐的宝贝'],
    kinds: [
      {
        nouns: ['Stroller|婴儿推车', 'Travel Stroller|旅行推车'],
        adjectives: ['Lightweight|轻便', 'One-Hand-Fold|一键折叠', 'High-View|高景观', 'Reclining|可坐可躺'],
      },
    ],
    features: [
      'one-handed folding|单手收车',
      'cabin-sized when folded|可登机尺寸',
      'all-wheel suspension|全轮避震',
      'a UPF50+ canopy|UPF50+遮阳篷',
    ],
    uses: ['newborns to toddlers|新生儿到学步期'],
    price: [599, 4999],
    axes: [{ key: 'color', options: ['Black|黑色', 'Grey|灰色', 'Beige|米色', 'Navy*1.03|藏青色'] }],
  },
  toys: {
    weight: 1.2,
    brands: ['LEGO|乐高', 'Keeppley|奇妙积木', 'Bloks|布鲁可', 'Hape', 'Mideer|弥鹿', 'Pop Mart|泡泡玛特'],
    kinds: [
      {
        nouns: ['Building Blocks Set|积木套装'],
        brands: ['LEGO|乐高', 'Keeppley|奇妙积木', 'Bloks|布鲁可', 'Sluban|小鲁班'],
        adjectives: ['Creative|创意', 'City|城市系列', 'Technic|机械组'],
        specs: ['500 Pieces|500颗粒', '1000 Pieces*1.7|1000颗粒'],
      },
      {
        nouns: ['Wooden Puzzle|木质拼图', 'Magnetic Tiles|磁力片', 'STEM Science Kit|STEM科学实验套装'],
        brands: ['Hape', 'Mideer|弥鹿', 'Melissa & Doug', 'Tookyland'],
        adjectives: ['Educational|益智', 'Montessori|蒙氏'],
        price: [49, 399],
      },
      {
        nouns: ['Blind Box Figure|盲盒手办', 'Plush Toy|毛绒玩具'],
        brands: ['Pop Mart|泡泡玛特', '52TOYS', 'Jellycat', 'Miniso|名创优品'],
        audiences: [],
        adjectives: ['Collectible|收藏款', 'Cute|可爱'],
        price: [39, 299],
      },
    ],
    audiences: ["Kids'|儿童"],
    features: [
      'non-toxic, child-safe materials|无毒安全材质',
      'rounded edges|圆角设计',
      'a colourful illustrated guide|彩色图文说明书',
      'play that builds fine motor skills|锻炼精细动作',
    ],
    uses: ['birthday and holiday gifts|生日和节日礼物'],
    price: [59, 999],
    axes: [{ key: 'edition', options: ['Standard|标准版', 'Gift Box*1.15|礼盒版', 'Deluxe*1.35|豪华版'] }],
  },
  'childrens-books': {
    brands: [
      'CITIC Press|中信出版社',
      'Jieli Publishing|接力出版社',
      '21st Century Publishing|二十一世纪出版社',
      'Xinyi Books|信谊图画书',
    ],
    brandInName: false,
    kinds: [
      {
        nouns: [
          'The Very Hungry Caterpillar|好饿的毛毛虫',
          'Guess How Much I Love You|猜猜我有多爱你',
          'The Little Prince|小王子',
          "Charlotte's Web|夏洛的网",
          "Grimm's Fairy Tales|格林童话",
          'Journey to the West for Children|少儿版西游记',
          'A Hundred Thousand Whys|十万个为什么',
          'Peppa Pig Storybook|小猪佩奇故事书',
          'The Gruffalo|咕噜牛',
          "Where's Spot?|小波在哪里？",
          'Winnie-the-Pooh|小熊维尼',
          'The Adventures of Pinocchio|木偶奇遇记',
          "Andersen's Fairy Tales|安徒生童话",
          'Chinese Idiom Stories|成语故事',
          'Tang Poems for Children|给孩子的唐诗',
        ],
      },
    ],
    specs: [
      'Picture Book|绘本',
      'Illustrated Edition|彩绘注音版',
      'Box Set|全套盒装',
      'Bilingual Edition|中英双语版',
    ],
    features: [
      'full-colour illustrations|全彩插图',
      'pinyin for early readers|带拼音适合自主阅读',
      'tear-resistant pages|加厚防撕页',
    ],
    uses: ['bedtime reading ages 3–8|3–8岁睡前阅读'],
    price: [19, 199],
    axes: [{ key: 'format', options: ['Paperback|平装', 'Hardcover*1.4|精装'] }],
  },
  literature: {
    weight: 0.9,
    brands: [
      "People's Literature Publishing House|人民文学出版社",
      'Yilin Press|译林出版社',
      'Shanghai Translation Publishing House|上海译文出版社',
      'Zhonghua Book Company|中华书局',
    ],
    brandInName: false,
    kinds: [
      {
        nouns: [
          'Dream of the Red Chamber|红楼梦',
          'Journey to the West|西游记',
          'Romance of the Three Kingdoms|三国演义',
          'Water Margin|水浒传',
          'Rickshaw Boy|骆驼祥子',
          'Pride and Prejudice|傲慢与偏见',
          'Jane Eyre|简·爱',
          'One Hundred Years of Solitude|百年孤独',
          'The Old Man and the Sea|老人与海',
          'Anna Karenina|安娜·卡列尼娜',
          'Fortress Besieged|围城',
          'Les Misérables|悲惨世界',
          'War and Peace|战争与和平',
          'The Count of Monte Cristo|基督山伯爵',
          'Wuthering Heights|呼啸山庄',
          'The Scholars|儒林外史',
        ],
      },
    ],
    specs: [
      'Annotated Edition|注释版',
      "Collector's Edition|典藏版",
      'Complete Edition|全本',
      'Pocket Edition|口袋本',
    ],
    features: [
      'an authoritative translation|权威译本',
      'an introduction and notes|附导读与注释',
      'acid-free paper that is easy on the eyes|护眼纸张',
    ],
    uses: ['students and lifelong readers|学生和文学爱好者'],
    price: [29, 299],
    axes: [{ key: 'format', options: ['Paperback|平装', 'Hardcover*1.5|精装'] }],
  },
  pens: {
    brands: ['M&G|晨光', 'Deli|得力', 'Pilot|百乐', 'Uni|三菱', 'Zebra|斑马', 'LAMY|凌美'],
    kinds: [
      {
        nouns: ['Gel Pens|中性笔', 'Ballpoint Pens|圆珠笔'],
        adjectives: ['Quick-Dry|速干', 'Retractable|按动', 'Exam|考试专用'],
        specs: ['0.5mm', '0.38mm'],
      },
      {
        nouns: ['Fountain Pen|钢笔'],
        adjectives: ['Student|学生', 'Calligraphy|书法'],
        specs: ['EF Nib|EF尖', 'F Nib|F尖'],
        price: [39, 499],
        axes: [{ key: 'color', options: ['Black|黑色', 'Navy|藏青色', 'Burgundy|酒红色', 'Mint|薄荷绿'] }],
      },
      {
        nouns: ['Highlighters|荧光笔', 'Fineliners|针管笔'],
        adjectives: ['Pastel|柔色', 'Dual-Tip|双头'],
        price: [12.9, 69],
      },
    ],
    features: [
      'smooth, skip-free writing|书写顺滑不断墨',
      'a comfortable soft grip|舒适软胶握位',
      'smudge-proof ink|防晕染墨水',
    ],
    uses: ['school, exams and the office|上学、考试与办公'],
    price: [9.9, 99],
    axes: [{ key: 'pack', options: ['Pack of 3|3支装', 'Pack of 12*3.2|12支装', 'Pack of 24*5.8|24支装'] }],
  },
  notebooks: {
    brands: ['Moleskine|魔力斯奇那', 'Kokuyo|国誉', 'M&G|晨光', 'Deli|得力', 'Midori', 'Hobonichi'],
    kinds: [
      {
        nouns: ['Notebook|笔记本', 'Dotted Journal|点阵手账本', '2026 Planner|2026日程本'],
        adjectives: ['A5|A5', 'B5|B5', 'Hardcover|硬壳', 'Leather|皮面', 'Lay-Flat|可平摊'],
      },
    ],
    features: [
      '100gsm paper that resists bleed-through|100g加厚纸不洇墨',
      'an elastic closure and ribbon marker|绑带与书签带',
      'a pocket inside the back cover|封底内袋',
    ],
    uses: ['study notes and daily planning|学习笔记与日程规划'],
    price: [12.9, 199],
    axes: [BASIC_COLOURS],
  },
};
