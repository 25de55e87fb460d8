export interface Shop {
  id: string;
  ownerId: string;
  name: string;
  nameZh: string;
  slug: string;
  city: string;
  createdAt: Date;
}
