export {
  createUserService,
  normalizeEmail,
  requireAcceptablePassword,
  type UserService,
  type CreateUserInput,
  type SearchableUser,
  type ProfileChange,
} from './service';
export {
  LOCALES,
  ROLES,
  type Locale,
  type AccountAccess,
  type CredentialCheck,
  type Role,
  type User,
} from './types';
export { checkPassword, type PasswordCheck, type PasswordOwner } from './password-policy';
export { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, PASSWORD_MIN_SCORE } from './password-rules';
