export { createStaffActions, type StaffActions } from './staff-actions';
export { createUserDirectory, type UserDirectory } from './user-directory';
export {
  UserSearchIndex,
  normalizeSearchText,
  searchKeysOf,
  type UserSearchFilter,
} from './user-search-index';
export { maskEmail, maskPhone } from './masking';
