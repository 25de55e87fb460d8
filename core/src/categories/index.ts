export { createCategoryService, type CategoryService } from './service';
export type { Category } from './types';
