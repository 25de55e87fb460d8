import type { ShopService } from '../shops';
import { requireAcceptablePassword, type Locale, type User, type UserService } from '../users';

/**
 * Account registration. A seller account is a user plus a shop: two domains, so two steps, and the
 * user is removed again if the shop cannot be created.
 */
export function createRegistrationFlow(deps: { users: UserService; shops: ShopService }) {
  return {
    async register(input: {
      email: string;
      password: string;
      name: string;
      role: 'shopper' | 'seller';
      shopName?: string;
      locale?: Locale;
    }): Promise<User> {
      requireAcceptablePassword(input.password, input, 'body.password');
      const user = await deps.users.createUser({
        email: input.email,
        password: input.password,
        name: input.name,
        roles: input.role === 'seller' ? ['shopper', 'seller'] : ['shopper'],
        locale: input.locale,
      });
      if (input.role !== 'seller') return user;
      try {
        const shop = await deps.shops.createShop({
          ownerId: user.id,
          name: input.shopName ?? `${input.name}'s shop`,
        });
        await deps.users.attachShop(user.id, shop.id);
        return { ...user, shopId: shop.id };
      } catch (err) {
        await deps.users.deleteUser(user.id);
        throw err;
      }
    },
  };
}

export type RegistrationFlow = ReturnType<typeof createRegistrationFlow>;
