/**
 * Builds `judged-queries.json` from the real Best Buy products of the demo catalog: queries of six kinds,
 * each with graded labels computed by the rules in `labels.ts`. Deterministic (a seeded generator), so
 * the file only changes when the data, the rules or this script do.
 *
 *   node --import tsx search/eval/build-judgments.ts
 */
import { writeFileSync } from 'node:fs';
import { createRandom, type Random } from '@market/demo/random';
import { loadEvalCorpus } from './corpus';
import {
  KIND_WORDS,
  featuresOf,
  grade,
  intentFor,
  type Intent,
  type Kind,
  type ProductFeatures,
} from './labels';

export type QueryType =
  | 'exact'
  | 'brand_type'
  | 'typo'
  | 'prefix'
  | 'category'
  | 'chinese'
  | 'cross_language'
  | 'brand'
  | 'accessory_device'
  | 'last_word'
  | 'synonym';

/** Which copy of the catalog a query runs on: as the demo lists it, or with English-only listings. */
export type CorpusName = 'bilingual' | 'english';

export interface JudgedQuery {
  id: string;
  type: QueryType;
  /** Absent: bilingual. */
  corpus?: CorpusName;
  q: string;
  intent: Intent;
  /**
   * Grade → space-separated product ids; products not listed are grade 0. Strings rather than arrays keep
   * the file small and one line per grade under Prettier.
   */
  judgments: { '3': string; '2': string; '1': string };
}

export interface JudgedQueryFile {
  about: string;
  corpus: { products: number; source: string };
  queries: JudgedQuery[];
}

const OUT = new URL('./judged-queries.json', import.meta.url);

export function buildJudgments(): JudgedQueryFile {
  const corpus = loadEvalCorpus();
  const features = corpus.map(featuresOf);
  const byId = new Map(corpus.map((p) => [p.id, p]));
  const rng = createRandom(20260101);
  const queries: Omit<JudgedQuery, 'id' | 'judgments'>[] = [];
  const seen = new Set<string>();
  const add = (type: QueryType, q: string, intent: Intent, corpus: CorpusName = 'bilingual') => {
    const text = q.replace(/\s+/g, ' ').trim();
    const key = `${corpus}:${text.toLowerCase()}`;
    if (seen.has(key)) return false;
    seen.add(key);
    queries.push({ type, ...(corpus !== 'bilingual' && { corpus }), q: text, intent });
    return true;
  };
  const vocabulary = new Set(
    corpus.flatMap((p) => `${p.listing.name} ${p.listing.description}`.toLowerCase().split(/[^a-z0-9]+/)),
  );

  // Products whose title is unique, so "the exact product" is well defined.
  const nameCount = new Map<string, number>();
  for (const p of corpus) nameCount.set(p.listing.name, (nameCount.get(p.listing.name) ?? 0) + 1);
  const unique = features.filter((f) => nameCount.get(byId.get(f.id)!.listing.name) === 1);
  const shortEnough = unique.filter((f) => byId.get(f.id)!.listing.name.split(' ').length <= 12);

  // 1. Exact product names, as pasted from elsewhere.
  for (const f of rng.shuffled(shortEnough).slice(0, 20))
    add('exact', byId.get(f.id)!.listing.name, intentFor(f));

  // Groups of accessories by brand, kind and device model, for "otterbox iphone 7 case".
  const groups = new Map<string, ProductFeatures[]>();
  for (const f of features) {
    if (f.kind === 'phone' || f.kind === 'accessory' || !f.model) continue;
    const key = `${f.brand}\u0000${f.kind}\u0000${f.model}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  const bigGroups = [...groups.values()].filter((g) => g.length >= 2);
  const brandTypeQuery = (f: ProductFeatures, kindWord = KIND_WORDS[f.kind].en) =>
    `${f.brand} ${f.model} ${kindWord}`.toLowerCase();
  const groupIntent = (f: ProductFeatures): Intent => ({ brand: f.brand, kind: f.kind, model: f.model! });

  // 2. Brand + device + product type, and brand + type.
  for (const group of rng.shuffled(bigGroups).slice(0, 14))
    add('brand_type', brandTypeQuery(group[0]!), groupIntent(group[0]!));
  const brandKinds = new Map<string, ProductFeatures[]>();
  for (const f of features) {
    if (f.kind === 'accessory') continue;
    const key = `${f.brand}\u0000${f.kind}`;
    brandKinds.set(key, [...(brandKinds.get(key) ?? []), f]);
  }
  for (const group of rng.shuffled([...brandKinds.values()].filter((g) => g.length >= 3)).slice(0, 6)) {
    const f = group[0]!;
    add('brand_type', `${f.brand} ${KIND_WORDS[f.kind].en}`.toLowerCase(), { brand: f.brand, kind: f.kind });
  }

  // 3. Typos: one edit in a word of 5–7 letters, two in a longer one; never another word of the catalog.
  const misspell = (text: string): string | null => {
    const words = text.split(' ');
    const candidates = words
      .map((w, i) => ({ w, i }))
      .filter(({ w }) => /^[a-z]{5,}$/i.test(w) && !['case', 'cases'].includes(w.toLowerCase()));
    if (!candidates.length) return null;
    const { w, i } = rng.pick(candidates);
    let typo = w.toLowerCase();
    for (let edit = 0; edit < (typo.length >= 8 ? 2 : 1); edit++) typo = applyEdit(typo, rng.int(0, 3), rng);
    if (typo === w.toLowerCase() || vocabulary.has(typo)) return null;
    words[i] = typo;
    return words.join(' ');
  };
  let typos = 0;
  for (const group of rng.shuffled(bigGroups)) {
    if (typos >= 10) break;
    const typo = misspell(brandTypeQuery(group[0]!));
    if (typo && add('typo', typo, groupIntent(group[0]!))) typos++;
  }
  for (const f of rng.shuffled(unique)) {
    if (typos >= 20) break;
    const p = byId.get(f.id)!;
    const short = `${f.brand} ${p.main.split(' for ')[0]!.split(' ').slice(0, 3).join(' ')}`.toLowerCase();
    const typo = misspell(short);
    if (typo && add('typo', typo, intentFor(f))) typos++;
  }

  // 4. Prefixes: a brand cut short ("otterb"), and a query whose last word is still being typed.
  const brandCounts = new Map<string, number>();
  for (const f of features) brandCounts.set(f.brand, (brandCounts.get(f.brand) ?? 0) + 1);
  const prefixBrands = [...brandCounts]
    .filter(([b, n]) => n >= 8 && /^[a-z]{5,}$/i.test(b))
    .map(([b]) => b)
    .sort();
  for (const brand of rng.shuffled(prefixBrands).slice(0, 8)) {
    add('prefix', brand.slice(0, Math.max(4, Math.ceil(brand.length * 0.6))).toLowerCase(), { brand });
  }
  let prefixes = 0;
  for (const group of rng.shuffled(bigGroups)) {
    if (prefixes >= 8) break;
    const f = group[0]!;
    const word = KIND_WORDS[f.kind].en.split(' ')[0]!;
    const q = `${f.brand} ${f.model} ${word.slice(0, Math.max(2, Math.ceil(word.length / 2)))}`.toLowerCase();
    if (add('prefix', q, groupIntent(f))) prefixes++;
  }

  // 5. Category words: what a kind of product is called, and the demo's category names.
  const kinds: Kind[] = ['case', 'screen protector', 'power bank', 'cable', 'charger', 'headset', 'speaker'];
  kinds.push('band', 'selfie stick', 'mount', 'vr headset', 'tracker');
  for (const kind of kinds) add('category', KIND_WORDS[kind].en, { kind });
  add('category', 'screen protectors', { leaf: 'screen-protectors' });
  add('category', 'smartwatch accessories', { leaf: 'smartwatch-accessories' });

  // 6. Chinese: maker + kind ("苹果 保护壳"), kind words and category names, and whole Chinese titles.
  const makers: [string, string][] = [
    ['苹果', 'Apple'],
    ['三星', 'Samsung'],
    ['摩托罗拉', 'Motorola'],
    ['谷歌', 'Google'],
  ];
  const makerKinds: [number, Kind][] = [
    [0, 'case'],
    [0, 'screen protector'],
    [0, 'charger'],
    [1, 'phone'],
    [1, 'case'],
    [2, 'phone'],
    [3, 'case'],
  ];
  for (const [m, kind] of makerKinds) {
    const [zh, maker] = makers[m]!;
    add('chinese', `${zh} ${KIND_WORDS[kind].zh}`, { fits: maker, kind });
  }
  for (const kind of ['power bank', 'cable', 'selfie stick', 'band'] as Kind[]) {
    add('chinese', KIND_WORDS[kind].zh, { kind });
  }
  add('chinese', '蓝牙耳机', { kind: 'headset' });
  add('chinese', '手机壳', { kind: 'case' });
  add('chinese', '手机贴膜', { leaf: 'screen-protectors' });
  for (const f of rng.shuffled(shortEnough).slice(0, 6))
    add('chinese', byId.get(f.id)!.listing.nameZh, intentFor(f));

  // Round two (issue 20): classes of real shoppers' queries the first set did not cover, drawn with a
  // generator of their own so the queries above stay as they were.
  secondRound(createRandom(20261207), features, bigGroups, add);

  return {
    about:
      'Judged queries for `npm run eval:search`, built by search/eval/build-judgments.ts from the demo ' +
      "catalog's real Best Buy products; grades by the rules in search/eval/labels.ts (see README.md).",
    corpus: { products: corpus.length, source: 'demo/src/data/bestbuy-cell-phones.json' },
    queries: queries.map((query, i) => {
      const byGrade: Record<1 | 2 | 3, string[]> = { 3: [], 2: [], 1: [] };
      for (const f of features) {
        const g = grade(query.intent, f);
        if (g !== 0) byGrade[g].push(f.id);
      }
      const judgments = { '3': byGrade[3].join(' '), '2': byGrade[2].join(' '), '1': byGrade[1].join(' ') };
      return { id: `q${String(i + 1).padStart(3, '0')}`, ...query, judgments };
    }),
  };
}

type Add = (type: QueryType, q: string, intent: Intent, corpus?: CorpusName) => boolean;

const MAKERS_ZH: [string, string][] = [
  ['苹果', 'Apple'],
  ['三星', 'Samsung'],
  ['华为', 'Huawei'],
  ['谷歌', 'Google'],
  ['摩托罗拉', 'Motorola'],
];

/** The phrases a shopper might type for one thing, in the groups the first synonym table had. */
const TYPED_VS_SYNONYM: [string, string[]][] = [
  ['cover', ['case']],
  ['case', ['cover']],
  ['charger', ['power adapter', 'charging adapter']],
  ['power adapter', ['charger']],
  ['smartwatch', ['smart watch', 'watch']],
  ['smart watch', ['smartwatch']],
  ['cell phone', ['smartphone', 'phone', 'mobile phone']],
  ['smartphone', ['cell phone', 'phone']],
  ['earbuds', ['headphones', 'headset', 'earphones']],
  ['headphones', ['earbuds', 'headset', 'earphones']],
  ['headset', ['headphones', 'earbuds']],
  ['power bank', ['portable charger']],
  ['portable charger', ['power bank']],
  ['tempered glass', ['screen protector']],
  ['screen protector', ['tempered glass']],
];

/**
 * Five classes, each graded by the same rules (labels.ts):
 * - cross_language: Chinese and mixed queries run on English-only listings (maker + kind with and without
 *   a space, colour + kind, condition and use words, Latin model + Chinese kind);
 * - brand: brands typed in Chinese or by a common alias, on English-only listings;
 * - accessory_device: a device's name alone (the device, not its accessories) and device + accessory
 *   kind without a brand (the accessories, not the device);
 * - last_word: "brand word" where the last word is complete but also starts longer catalog words, and
 *   "brand wor" where it is still being typed;
 * - synonym: a product word alone; titles with the typed words grade 2, titles with a synonym grade 1.
 */
function secondRound(rng: Random, features: ProductFeatures[], bigGroups: ProductFeatures[][], add: Add) {
  // cross_language
  for (const [zh, maker] of MAKERS_ZH)
    add('cross_language', `${zh}手机`, { brand: maker, kind: 'phone' }, 'english');
  add('cross_language', '苹果 保护壳', { fits: 'Apple', kind: 'case' }, 'english');
  add('cross_language', '三星手机壳', { fits: 'Samsung', kind: 'case' }, 'english');
  add('cross_language', '三星 钢化膜', { fits: 'Samsung', kind: 'screen protector' }, 'english');
  add('cross_language', '苹果充电器', { fits: 'Apple', kind: 'charger' }, 'english');
  const colours: [string, string, Kind][] = [
    ['黑色', 'black', 'case'],
    ['蓝色', 'blue', 'case'],
    ['粉色', 'pink', 'case'],
    ['红色', 'red', 'case'],
    ['白色', 'white', 'charger'],
    ['金色', 'gold', 'phone'],
    ['黑色', 'black', 'headset'],
  ];
  for (const [zh, colour, kind] of colours)
    add('cross_language', `${zh}${KIND_WORDS[kind].zh}`, { colour, kind }, 'english');
  const uses: [string, Kind, string][] = [
    ['无锁手机', 'phone', 'unlocked'],
    ['翻新手机', 'phone', 'refurbished'],
    ['车载充电器', 'charger', 'car'],
    ['车载支架', 'mount', 'car'],
    ['蓝牙耳机', 'headset', 'bluetooth'],
    ['无线充电器', 'charger', 'wireless'],
    ['真皮保护套', 'case', 'leather'],
  ];
  for (const [q, kind, word] of uses) add('cross_language', q, { kind, titleWords: word }, 'english');
  let mixed = 0;
  for (const group of rng.shuffled(bigGroups)) {
    if (mixed >= 6) break;
    const f = group[0]!;
    if (!['case', 'screen protector', 'charger', 'cable', 'mount'].includes(f.kind)) continue;
    const zh = f.kind === 'screen protector' ? '钢化膜' : KIND_WORDS[f.kind].zh;
    if (add('cross_language', `${f.model} ${zh}`, { kind: f.kind, model: f.model! }, 'english')) mixed++;
  }

  // brand
  for (const [zh, maker] of MAKERS_ZH) add('brand', zh, { brand: maker }, 'english');
  const brandsZh: [string, string][] = [
    ['索尼', 'Sony'],
    ['黑莓', 'BlackBerry'],
    ['贝尔金', 'Belkin'],
    ['中兴', 'ZTE'],
    ['捷波朗', 'Jabra'],
  ];
  for (const [zh, brand] of brandsZh) add('brand', zh, { brand }, 'english');
  const aliases: [string, string][] = [
    ['otter box', 'OtterBox'],
    ['case mate', 'Case-Mate'],
    ['uag', 'Urban Armor Gear'],
    ['kate spade', 'kate spade new york'],
    ['moto', 'Motorola'],
  ];
  for (const [alias, brand] of aliases) add('brand', alias, { brand }, 'english');
  add('brand', '三星 case', { fits: 'Samsung', kind: 'case' }, 'english');
  add('brand', '苹果 charger', { fits: 'Apple', kind: 'charger' }, 'english');

  // accessory_device: the device alone, then device + accessory kind without a brand.
  const phoneModels = new Map<string, number>();
  const accessoryModels = new Map<string, number>();
  for (const f of features) {
    if (!f.model) continue;
    const counts = f.kind === 'phone' ? phoneModels : accessoryModels;
    counts.set(f.model, (counts.get(f.model) ?? 0) + 1);
  }
  const devices = [...phoneModels.keys()]
    .filter((m) => (accessoryModels.get(m) ?? 0) >= 3 && /\d/.test(m))
    .sort();
  for (const model of rng.shuffled(devices).slice(0, 8))
    add('accessory_device', model, { kind: 'phone', model });
  const kindModel = new Map<string, ProductFeatures[]>();
  for (const f of features) {
    if (f.kind === 'phone' || f.kind === 'accessory' || !f.model || !phoneModels.has(f.model)) continue;
    const key = `${f.kind}\u0000${f.model}`;
    kindModel.set(key, [...(kindModel.get(key) ?? []), f]);
  }
  let accessories = 0;
  for (const group of rng.shuffled([...kindModel.values()].filter((g) => g.length >= 2))) {
    if (accessories >= 8) break;
    const f = group[0]!;
    if (add('accessory_device', `${f.model} ${KIND_WORDS[f.kind].en}`, { kind: f.kind, model: f.model! }))
      accessories++;
  }
  add('accessory_device', 'cell phone bluetooth', { kind: 'headset', titleWords: 'bluetooth' });
  add('accessory_device', 'iphone car mount', { kind: 'mount', fits: 'Apple', titleWords: 'car' });

  // last_word: a complete last word that also starts longer words of the catalog; a half-typed one.
  const vocabulary = new Set(features.flatMap((f) => f.rawWords));
  const longer = (w: string) =>
    [...vocabulary].some(
      (v) => v.length >= w.length + 2 && v.startsWith(w) && !/^(?:s|es|ed|er|ing)$/.test(v.slice(w.length)),
    );
  const brandWords = new Map<string, Map<string, number>>();
  for (const f of features) {
    const words = brandWords.get(f.brand) ?? new Map<string, number>();
    for (const w of new Set(f.rawWords)) if (/^[a-z]{3,}$/.test(w)) words.set(w, (words.get(w) ?? 0) + 1);
    brandWords.set(f.brand, words);
  }
  const brandLower = (b: string) => b.toLowerCase();
  const complete: [string, string][] = [];
  const partial: [string, string][] = [];
  for (const [brand, words] of [...brandWords].sort((a, b) => a[0].localeCompare(b[0]))) {
    const own = new Set(brandLower(brand).split(/\s+/));
    for (const [w, n] of [...words].sort((a, b) => a[0].localeCompare(b[0]))) {
      if (n < 2 || own.has(w) || ['for', 'and', 'with', 'the'].includes(w)) continue;
      if (longer(w)) complete.push([brand, w]);
      if (w.length >= 7) partial.push([brand, w]);
    }
  }
  let completes = 0;
  for (const [brand, w] of rng.shuffled(complete)) {
    if (completes >= 10) break;
    if (add('last_word', `${brandLower(brand)} ${w}`, { brand, titleWords: w })) completes++;
  }
  let partials = 0;
  for (const [brand, w] of rng.shuffled(partial)) {
    if (partials >= 8) break;
    const cut = w.slice(0, Math.ceil(w.length / 2) + 1);
    if (add('last_word', `${brandLower(brand)} ${cut}`, { brand, titlePrefix: cut })) partials++;
  }

  // synonym
  for (const [typed, others] of TYPED_VS_SYNONYM)
    add('synonym', typed, { titleWords: typed, alsoTitleWords: others });
}

/** Deletes, transposes, substitutes or inserts one letter, away from the first (people get that right). */
function applyEdit(word: string, op: number, rng: Random): string {
  const at = 1 + rng.int(0, word.length - 2);
  const letter = 'abcdefghijklmnopqrstuvwxyz'[rng.int(0, 25)]!;
  switch (op) {
    case 0:
      return word.slice(0, at) + word.slice(at + 1);
    case 1:
      return at < word.length - 1 ? word.slice(0, at) + word[at + 1] + word[at] + word.slice(at + 2) : word;
    case 2:
      return word.slice(0, at) + letter + word.slice(at + 1);
    default:
      return word.slice(0, at) + letter + word.slice(at);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = buildJudgments();
  writeFileSync(OUT, `${JSON.stringify(file, null, 2)}\n`);
  const counts: Record<string, number> = {};
  for (const q of file.queries) counts[q.type] = (counts[q.type] ?? 0) + 1;
  process.stdout.write(`${file.queries.length} judged queries → ${OUT.pathname} ${JSON.stringify(counts)}\n`);
}
