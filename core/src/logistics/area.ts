/**
 * The demo delivery area: central Shanghai, hand-drawn from a map at street-map accuracy, which is
 * plenty for a stylized city. The same data places addresses (geocode.ts) and draws the SVG map in the
 * storefront, so a courier marker and the district it is in always agree. Coordinates are WGS84
 * degrees; polylines are [lat, lng] pairs.
 */
export interface LatLng {
  lat: number;
  lng: number;
}

export interface District {
  id: string;
  name: string;
  nameZh: string;
  /** Spellings that name the district in an address (lower-case Latin, or Chinese). */
  aliases: string[];
  center: LatLng;
  /** How far from the centre addresses of the district are spread, metres. */
  radiusM: number;
}

export interface Road {
  name: string;
  nameZh: string;
  kind: 'ring' | 'expressway' | 'avenue';
  path: [number, number][];
}

export interface DeliveryArea {
  city: string;
  cityZh: string;
  bounds: { south: number; west: number; north: number; east: number };
  districts: District[];
  river: { name: string; nameZh: string; path: [number, number][]; widthM: number };
  /** A tributary, drawn thinner. */
  creek: { name: string; nameZh: string; path: [number, number][] };
  roads: Road[];
  parks: { name: string; nameZh: string; center: LatLng; radiusM: number }[];
}

export const DELIVERY_AREA: DeliveryArea = {
  city: 'Shanghai',
  cityZh: '上海',
  bounds: { south: 31.15, west: 121.37, north: 31.31, east: 121.58 },
  districts: [
    {
      id: 'huangpu',
      name: 'Huangpu',
      nameZh: '黄浦',
      aliases: ['huangpu', '黄浦', 'the bund', 'bund', '外滩', "people's square", '人民广场'],
      center: { lat: 31.2304, lng: 121.4824 },
      radiusM: 1400,
    },
    {
      id: 'jingan',
      name: "Jing'an",
      nameZh: '静安',
      aliases: ["jing'an", 'jingan', 'jing’an', '静安'],
      center: { lat: 31.2376, lng: 121.4485 },
      radiusM: 1500,
    },
    {
      id: 'xuhui',
      name: 'Xuhui',
      nameZh: '徐汇',
      aliases: ['xuhui', '徐汇', 'xujiahui', '徐家汇'],
      center: { lat: 31.1916, lng: 121.4372 },
      radiusM: 1800,
    },
    {
      id: 'changning',
      name: 'Changning',
      nameZh: '长宁',
      aliases: ['changning', '长宁', 'zhongshan park', '中山公园'],
      center: { lat: 31.2196, lng: 121.4134 },
      radiusM: 1700,
    },
    {
      id: 'putuo',
      name: 'Putuo',
      nameZh: '普陀',
      aliases: ['putuo', '普陀'],
      center: { lat: 31.2581, lng: 121.4128 },
      radiusM: 1700,
    },
    {
      id: 'hongkou',
      name: 'Hongkou',
      nameZh: '虹口',
      aliases: ['hongkou', '虹口'],
      center: { lat: 31.2701, lng: 121.4867 },
      radiusM: 1400,
    },
    {
      id: 'yangpu',
      name: 'Yangpu',
      nameZh: '杨浦',
      aliases: ['yangpu', '杨浦', 'wujiaochang', '五角场'],
      center: { lat: 31.2755, lng: 121.5245 },
      radiusM: 1700,
    },
    {
      id: 'lujiazui',
      name: 'Lujiazui',
      nameZh: '陆家嘴',
      aliases: ['lujiazui', '陆家嘴', 'century ave', 'century avenue', '世纪大道'],
      center: { lat: 31.2355, lng: 121.5055 },
      radiusM: 1100,
    },
    {
      id: 'pudong',
      name: 'Pudong',
      nameZh: '浦东',
      aliases: ['pudong', '浦东'],
      center: { lat: 31.2145, lng: 121.5395 },
      radiusM: 2200,
    },
  ],
  river: {
    name: 'Huangpu River',
    nameZh: '黄浦江',
    widthM: 420,
    path: [
      [31.15, 121.447],
      [31.17, 121.458],
      [31.186, 121.468],
      [31.2, 121.48],
      [31.214, 121.491],
      [31.226, 121.493],
      [31.238, 121.491],
      [31.248, 121.497],
      [31.251, 121.508],
      [31.247, 121.52],
      [31.252, 121.532],
      [31.264, 121.544],
      [31.283, 121.555],
      [31.31, 121.566],
    ],
  },
  creek: {
    name: 'Suzhou Creek',
    nameZh: '苏州河',
    path: [
      [31.222, 121.37],
      [31.226, 121.392],
      [31.236, 121.404],
      [31.248, 121.414],
      [31.246, 121.43],
      [31.242, 121.446],
      [31.245, 121.462],
      [31.243, 121.478],
      [31.245, 121.489],
      [31.244, 121.494],
    ],
  },
  roads: [
    {
      name: 'Inner Ring Road',
      nameZh: '内环高架',
      kind: 'ring',
      path: [
        [31.183, 121.43],
        [31.2, 121.408],
        [31.225, 121.403],
        [31.252, 121.413],
        [31.268, 121.44],
        [31.273, 121.48],
        [31.263, 121.515],
        [31.24, 121.54],
        [31.21, 121.545],
        [31.19, 121.525],
        [31.18, 121.49],
        [31.176, 121.455],
        [31.183, 121.43],
      ],
    },
    {
      name: "Yan'an Elevated Road",
      nameZh: '延安高架',
      kind: 'expressway',
      path: [
        [31.203, 121.37],
        [31.212, 121.4],
        [31.219, 121.43],
        [31.223, 121.46],
        [31.229, 121.48],
        [31.233, 121.489],
      ],
    },
    {
      name: 'North–South Elevated Road',
      nameZh: '南北高架',
      kind: 'expressway',
      path: [
        [31.155, 121.455],
        [31.19, 121.46],
        [31.223, 121.466],
        [31.25, 121.463],
        [31.28, 121.458],
        [31.31, 121.452],
      ],
    },
    {
      name: 'Century Avenue',
      nameZh: '世纪大道',
      kind: 'avenue',
      path: [
        [31.238, 121.502],
        [31.229, 121.522],
        [31.219, 121.542],
        [31.208, 121.556],
      ],
    },
    {
      name: 'Nanjing Road',
      nameZh: '南京路',
      kind: 'avenue',
      path: [
        [31.224, 121.425],
        [31.229, 121.445],
        [31.234, 121.465],
        [31.238, 121.485],
      ],
    },
    {
      name: 'Siping Road',
      nameZh: '四平路',
      kind: 'avenue',
      path: [
        [31.255, 121.49],
        [31.268, 121.505],
        [31.284, 121.515],
        [31.3, 121.522],
      ],
    },
  ],
  parks: [
    { name: "People's Park", nameZh: '人民公园', center: { lat: 31.2328, lng: 121.4718 }, radiusM: 380 },
    { name: 'Zhongshan Park', nameZh: '中山公园', center: { lat: 31.2227, lng: 121.4163 }, radiusM: 420 },
    { name: 'Century Park', nameZh: '世纪公园', center: { lat: 31.2157, lng: 121.5515 }, radiusM: 700 },
    { name: 'Fuxing Park', nameZh: '复兴公园', center: { lat: 31.2181, lng: 121.4695 }, radiusM: 300 },
  ],
};
