/**
 * Chinese titles for the real Best Buy listings. Product titles are noun phrases whose modifiers come before the
 * head in both languages ("Magnetic Wireless Charger" / "磁吸无线充电器"), so a phrase table gets close to what
 * a Chinese shop would write; model names ("Octane", "MOTO G4 Play") stay in Latin letters, as they do on Tmall.
 */

const BRANDS_ZH: Record<string, string> = {
  Acer: '宏碁',
  Alcatel: '阿尔卡特',
  Apple: '苹果',
  Asus: '华硕',
  Belkin: '贝尔金',
  BlackBerry: '黑莓',
  Dell: '戴尔',
  Duracell: '金霸王',
  Fujifilm: '富士',
  Garmin: '佳明',
  Google: '谷歌',
  Hasselblad: '哈苏',
  Honor: '荣耀',
  Huawei: '华为',
  Jabra: '捷波朗',
  Kyocera: '京瓷',
  Lenovo: '联想',
  Logitech: '罗技',
  Microsoft: '微软',
  Monster: '魔声',
  Motorola: '摩托罗拉',
  Pioneer: '先锋',
  Plantronics: '缤特力',
  Samsung: '三星',
  Sony: '索尼',
  Swarovski: '施华洛世奇',
  ZTE: '中兴',
  Zeiss: '蔡司',
  Anker: '安克',
};

export const brandZh = (brand: string): string => BRANDS_ZH[brand] ?? brand;

/** Longest phrases first; matched case-insensitively at word starts. */
const PHRASES: readonly (readonly [string, string])[] = [
  ['geek squad refurbished', '官方翻新'],
  ['adapter/converter', '转换插头'],
  ['stainless steel', '不锈钢'],
  ['wrist strap', '腕带'],
  ['car holder', '车载支架'],
  ['screen protector', '屏幕保护膜'],
  ['tempered glass', '钢化玻璃'],
  ['external battery case', '背夹电池'],
  ['battery charger case', '背夹电池'],
  ['battery case', '背夹电池'],
  ['charging case', '充电保护壳'],
  ['external battery', '外置电池'],
  ['portable charger', '充电宝'],
  ['power bank', '充电宝'],
  ['battery pack', '电池组'],
  ['power pack', '电池组'],
  ['lithium-ion battery', '锂电池'],
  ['replacement battery', '替换电池'],
  ['wireless charging pad', '无线充电板'],
  ['wireless charger', '无线充电器'],
  ['wireless charging', '无线充电'],
  ['charging station', '充电站'],
  ['charging dock', '充电底座'],
  ['charge-and-sync cable', '充电数据线'],
  ['charge/sync cable', '充电数据线'],
  ['charging cable', '充电线'],
  ['device cable', '数据线'],
  ['audio cable', '音频线'],
  ['vehicle charger', '车载充电器'],
  ['car charger', '车载充电器'],
  ['wall charger', '充电器'],
  ['car kit', '车载套件'],
  ['car mount', '车载支架'],
  ['hard shell case', '硬壳'],
  ['hard shell', '硬壳'],
  ['hardshell case', '硬壳'],
  ['soft shell case', '软壳'],
  ['softshell case', '软壳'],
  ['back cover', '后盖保护壳'],
  ['flip cover', '翻盖保护套'],
  ['flip case', '翻盖保护套'],
  ['folio case', '翻盖皮套'],
  ['wallet case', '钱包式保护套'],
  ['carrying case', '收纳包'],
  ['bluetooth headset', '蓝牙耳机'],
  ['fm transmitter', 'FM发射器'],
  ['virtual reality headset', 'VR眼镜'],
  ['vr headset', 'VR眼镜'],
  ['vr goggles', 'VR眼镜'],
  ['virtual reality', '虚拟现实'],
  ['selfie stick', '自拍杆'],
  ['selfie-stick', '自拍杆'],
  ['lens kit', '镜头套装'],
  ['cell phones', '手机'],
  ['cell phone', '手机'],
  ['mobile phone', '手机'],
  ['mfi certified', 'MFi认证'],
  ['(unlocked)', '（无锁版）'],
  ['unlocked', '无锁版'],
  ['refurbished', '翻新'],
  ['smartphone', '智能手机'],
  ['smartwatches', '智能手表'],
  ['smartwatch', '智能手表'],
  ['rechargeable', '可充电'],
  ['battery', '电池'],
  ['charger', '充电器'],
  ['cable', '数据线'],
  ['adapter', '转接头'],
  ['converter', '转换器'],
  ['dock', '底座'],
  ['stand', '支架'],
  ['mount', '支架'],
  ['holder', '支架'],
  ['cradle', '支架'],
  ['kickstand', '支架'],
  ['holster', '腰夹'],
  ['folio', '皮套'],
  ['wallet', '钱包式'],
  ['case', '保护壳'],
  ['cover', '保护套'],
  ['sleeve', '保护袋'],
  ['bumper', '边框'],
  ['armband', '运动臂带'],
  ['skin', '贴膜'],
  ['shield', '保护膜'],
  ['protector', '保护膜'],
  ['glass', '玻璃'],
  ['band', '表带'],
  ['strap', '腕带'],
  ['headset', '耳机'],
  ['headphones', '耳机'],
  ['earbuds', '耳塞'],
  ['speakerphone', '车载免提'],
  ['speaker', '音箱'],
  ['tripod', '三脚架'],
  ['lens', '镜头'],
  ['tracker', '防丢器'],
  ['protective', '防护'],
  ['rugged', '三防'],
  ['waterproof', '防水'],
  ['clear', '透明'],
  ['slim', '超薄'],
  ['thin', '超薄'],
  ['leather', '真皮'],
  ['silicone', '硅胶'],
  ['magnetic', '磁吸'],
  ['universal', '通用'],
  ['portable', '便携'],
  ['wireless', '无线'],
  ['bluetooth', '蓝牙'],
  ['travel', '旅行'],
  ['braided', '编织'],
  ['sport', '运动'],
  ['charging', '充电'],
  ['watch', '手表'],
  ['grip', '握把'],
  ['car', '车载'],
  ['kit', '套装'],
];

const COMPAT: readonly (readonly [RegExp, string])[] = [
  [/\bApple\s+(?!Watch)/g, '苹果'],
  [/\bSamsung\s+/g, '三星'],
  [/\bGoogle\s+/g, '谷歌'],
  [/\bMotorola\s+/g, '摩托罗拉'],
  [/\b(?:Cell|Mobile) Phones?\b|\bSmartphones\b/g, '手机'],
  [/\bSmartwatches\b/g, '智能手表'],
  [/\bMen's\s+/g, '男款'],
  [/\bMobile Devices\b/g, '移动设备'],
  [/\bMost\s+/g, '多数'],
  [/\bSelect\s+/g, '部分'],
  [/\bUSB-Enabled Devices\b|\bUSB devices\b/gi, 'USB设备'],
  [/\bLightning-Equipped\s+/g, 'Lightning接口'],
  [/\bDevices\b/g, '设备'],
  [/\bUp to\s+/g, '最大'],
  [/,? and /g, '/'],
  [/, /g, '/'],
];

const FEET = /^(\d+(?:\.\d+)?)'/;
const MEMORY = /^with (\d+(?:\.\d+)?) ?([GM]B) Memory\b/i;

/** "Octane Case for Apple iPhone 7" → "Octane 适用苹果iPhone 7 保护壳". */
export function translateTitle(main: string, fallbackNoun: string): string {
  const at = main.indexOf(' for ');
  const product = at >= 0 ? main.slice(0, at) : main;
  const compat = at >= 0 ? main.slice(at + 5) : '';
  const latin: string[] = [];
  const chinese: string[] = [];
  let rest = product.trim();
  while (rest) {
    const lower = rest.toLowerCase();
    const feet = FEET.exec(rest);
    const memory = MEMORY.exec(rest);
    const phrase = PHRASES.find(
      ([en]) => lower.startsWith(en) && /^$|^[\s,)/]/.test(lower.slice(en.length, en.length + 1)),
    );
    let consumed: number;
    if (feet) {
      latin.push(`${(Number(feet[1]) * 0.3048).toFixed(1)}米`);
      consumed = feet[0].length;
    } else if (memory) {
      latin.push(`${memory[1]}${memory[2]!.toUpperCase()}`);
      consumed = memory[0].length;
    } else if (phrase) {
      chinese.push(phrase[1]);
      consumed = phrase[0].length;
    } else {
      const word = /^\S+/.exec(rest)![0];
      if (!/^(?:with|and|for|w\/|-|&)$/i.test(word)) latin.push(word);
      consumed = word.length;
    }
    rest = rest.slice(consumed).trimStart();
  }
  let compatZh = compat;
  for (const [pattern, zh] of COMPAT) compatZh = compatZh.replace(pattern, zh);
  const translated = [...new Set(chinese)].join('');
  // Every title says in Chinese what the thing is, even when the phrase table knew none of its words.
  const noun = /[\u4e00-\u9fff]/.test(translated) ? translated : translated + fallbackNoun;
  return [latin.join(' '), compatZh && `适用${compatZh}`, noun].filter(Boolean).join(' ');
}

const COLOUR_WORDS: Record<string, string> = {
  black: '黑',
  white: '白',
  gold: '金',
  blue: '蓝',
  gray: '灰',
  grey: '灰',
  pink: '粉',
  silver: '银',
  red: '红',
  purple: '紫',
  green: '绿',
  teal: '青',
  brown: '棕',
  orange: '橙',
  yellow: '黄',
  navy: '藏青',
  clear: '透明',
  transparent: '透明',
  translucent: '半透明',
  gunmetal: '枪灰',
  charcoal: '炭黑',
  champagne: '香槟',
  aqua: '水蓝',
  multi: '多色',
  onyx: '玛瑙黑',
  turquoise: '松石绿',
  graphite: '石墨',
  midnight: '午夜',
  tan: '浅棕',
  cream: '奶油',
  cobalt: '钴',
  mint: '薄荷绿',
  titanium: '钛',
  platinum: '铂金',
  olive: '橄榄绿',
  coral: '珊瑚',
  lime: '青柠',
  lavender: '薰衣草紫',
  beige: '米',
  slate: '石板',
  space: '深空',
  rose: '玫瑰',
  jet: '亮',
  sky: '天',
  light: '浅',
  dark: '深',
  deep: '深',
  hot: '亮',
  metallic: '金属',
  matte: '哑光',
  glossy: '亮面',
  glitter: '闪粉',
  neon: '荧光',
  crystal: '水晶',
  frost: '磨砂',
  ice: '冰',
  smoke: '烟灰',
  royal: '宝',
  blush: '腮红',
  violet: '紫罗兰',
  magenta: '洋红',
  sapphire: '宝石',
  pearl: '珍珠',
  titan: '钛',
  ebony: '乌木',
  lilac: '丁香',
  plum: '梅子',
};

/** "Rose Gold" → "Rose Gold 玫瑰金", "Black/Gray" → "Black/Gray 黑色/灰色"; English only when a word is unknown. */
export function bilingualColour(colour: string): string {
  const parts = colour.split('/');
  const zh: string[] = [];
  for (const part of parts) {
    const words = part.trim().toLowerCase().split(/\s+/);
    if (!words.every((w) => COLOUR_WORDS[w])) return colour;
    const joined = words.map((w) => COLOUR_WORDS[w]).join('');
    zh.push(/透明$|色$/.test(joined) ? joined : `${joined}色`);
  }
  return `${colour} ${zh.join('/')}`;
}
