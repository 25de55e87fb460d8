export {
  createUserService,
  normalizeEmail,
  requireAcceptablePassword,
  type UserService,
  type CreateUserInput,
  type SearchableUser,
} from './service';
export { ROLES, type AccountAccess, type CredentialCheck, type Role, type User } from './types';
export { checkPassword, type PasswordCheck, type PasswordOwner } from './password-policy';
export { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, PASSWORD_MIN_SCORE } from './password-rules';
