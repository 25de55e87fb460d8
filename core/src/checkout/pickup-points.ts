/** Self-pickup points (parcel lockers and partner shops) shoppers can choose instead of courier delivery. */
export interface PickupPoint {
  id: string;
  name: string;
  nameZh: string;
  city: string;
  address: string;
  hours: string;
}

export const PICKUP_POINTS: readonly PickupPoint[] = [
  {
    id: 'pk-sh-jingan',
    name: "Jing'an Temple locker",
    nameZh: '静安寺自提柜',
    city: 'Shanghai',
    address: '1699 Nanjing West Rd, Jing’an, Shanghai',
    hours: '24h',
  },
  {
    id: 'pk-sh-xujiahui',
    name: 'Xujiahui partner shop',
    nameZh: '徐家汇合作门店',
    city: 'Shanghai',
    address: '1 Hongqiao Rd, Xuhui, Shanghai',
    hours: '09:00–22:00',
  },
  {
    id: 'pk-bj-guomao',
    name: 'Guomao locker',
    nameZh: '国贸自提柜',
    city: 'Beijing',
    address: '1 Jianguomenwai Ave, Chaoyang, Beijing',
    hours: '24h',
  },
  {
    id: 'pk-bj-zhongguancun',
    name: 'Zhongguancun partner shop',
    nameZh: '中关村合作门店',
    city: 'Beijing',
    address: '27 Zhongguancun St, Haidian, Beijing',
    hours: '10:00–21:00',
  },
  {
    id: 'pk-sz-nanshan',
    name: 'Nanshan Science Park locker',
    nameZh: '南山科技园自提柜',
    city: 'Shenzhen',
    address: '9 Keji South Rd, Nanshan, Shenzhen',
    hours: '24h',
  },
  {
    id: 'pk-hz-xihu',
    name: 'West Lake partner shop',
    nameZh: '西湖合作门店',
    city: 'Hangzhou',
    address: '18 Hubin Rd, Shangcheng, Hangzhou',
    hours: '09:00–21:00',
  },
];

export function findPickupPoint(id: string): PickupPoint | undefined {
  return PICKUP_POINTS.find((p) => p.id === id);
}
