import { defineParams } from '@sveltejs/kit/params';
import { isAdminSection } from './lib/routes.ts'; // loaded by Node itself at build time: a full path

/** Route parameter matchers: `/admin/[section=adminSection]` takes only the back office's sections. */
export const params = defineParams({
  adminSection: (param) => (isAdminSection(param) ? param : undefined),
});
