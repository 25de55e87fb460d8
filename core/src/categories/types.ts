export interface Category {
  id: string;
  slug: string;
  name: string;
  nameZh: string;
  parentId: string | null;
  /** Ids from the root down to the parent; lets "category incl. descendants" be one indexed query. */
  ancestors: string[];
  depth: number;
  position: number;
}
