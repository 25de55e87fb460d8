import type { Connection } from 'mongoose';
import { NotFoundError } from '../errors';
import { categoryModel, type CategoryDoc } from './model';
import type { Category } from './types';

function toCategory(doc: CategoryDoc): Category {
  return {
    id: doc._id,
    slug: doc.slug,
    name: doc.name,
    nameZh: doc.nameZh,
    parentId: doc.parentId,
    ancestors: doc.ancestors,
    depth: doc.depth,
    position: doc.position,
  };
}

/**
 * The category tree. It is small and read on almost every request, so it is cached in memory and
 * reloaded after each change made through this service (admins edit it rarely).
 */
export function createCategoryService(deps: { connection: Connection }) {
  const Categories = categoryModel(deps.connection);
  let cache: Promise<Category[]> | undefined;

  async function load(): Promise<Category[]> {
    const docs = await Categories.find().lean<CategoryDoc[]>();
    const byParent = new Map<string | null, Category[]>();
    for (const c of docs.map(toCategory)) {
      const list = byParent.get(c.parentId) ?? [];
      list.push(c);
      byParent.set(c.parentId, list);
    }
    // Depth-first, by position: the order a navigation menu shows.
    const ordered: Category[] = [];
    const walk = (parentId: string | null) => {
      const children = (byParent.get(parentId) ?? []).sort(
        (a, b) => a.position - b.position || a.name.localeCompare(b.name),
      );
      for (const c of children) {
        ordered.push(c);
        walk(c.id);
      }
    };
    walk(null);
    return ordered;
  }

  const service = {
    list(): Promise<Category[]> {
      cache ??= load().catch((err: unknown) => {
        cache = undefined;
        throw err;
      });
      return cache;
    },

    async get(id: string): Promise<Category | null> {
      return (await service.list()).find((c) => c.id === id || c.slug === id) ?? null;
    },

    async require(id: string): Promise<Category> {
      const category = await service.get(id);
      if (!category) throw new NotFoundError('Category');
      return category;
    },

    /** The category and its ancestors, root first. */
    async breadcrumbs(id: string): Promise<Category[]> {
      const all = await service.list();
      const category = all.find((c) => c.id === id);
      if (!category) return [];
      return [...category.ancestors.map((a) => all.find((c) => c.id === a)!).filter(Boolean), category];
    },

    isLeaf: async (id: string) => !(await service.list()).some((c) => c.parentId === id),

    async create(input: {
      id: string;
      slug: string;
      name: string;
      nameZh: string;
      parentId: string | null;
      position?: number;
    }) {
      const parent = input.parentId ? await service.require(input.parentId) : null;
      await Categories.create({
        _id: input.id,
        slug: input.slug,
        name: input.name,
        nameZh: input.nameZh,
        parentId: parent?.id ?? null,
        ancestors: parent ? [...parent.ancestors, parent.id] : [],
        depth: parent ? parent.depth + 1 : 0,
        position: input.position ?? 0,
      });
      cache = undefined;
    },

    /** Bulk insert for seeding: parents must come before their children. */
    async createMany(
      inputs: { id: string; slug: string; name: string; nameZh: string; parentId: string | null }[],
    ) {
      const byId = new Map<string, CategoryDoc>();
      const docs: CategoryDoc[] = inputs.map((input, position) => {
        const parent = input.parentId ? byId.get(input.parentId) : undefined;
        if (input.parentId && !parent) throw new Error(`category ${input.id} listed before its parent`);
        const doc: CategoryDoc = {
          _id: input.id,
          slug: input.slug,
          name: input.name,
          nameZh: input.nameZh,
          parentId: input.parentId,
          ancestors: parent ? [...parent.ancestors, parent._id] : [],
          depth: parent ? parent.depth + 1 : 0,
          position,
        };
        byId.set(doc._id, doc);
        return doc;
      });
      await Categories.insertMany(docs, { ordered: false });
      cache = undefined;
    },
  };
  return service;
}

export type CategoryService = ReturnType<typeof createCategoryService>;
