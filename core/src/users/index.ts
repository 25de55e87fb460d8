export { createUserService, normalizeEmail, type UserService, type CreateUserInput } from './service';
export { ROLES, type Role, type User } from './types';
