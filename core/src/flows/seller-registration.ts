import type { Logger } from '../logger';
import type { ReferralService } from '../referrals';
import type { SellerApplicationService } from '../seller-applications';
import type { Shop, ShopService } from '../shops';
import { requireAcceptablePassword, type Locale, type User, type UserService } from '../users';
import { ValidationError } from '../errors';
import { defineFlow, refuse } from './flow';

export interface RegistrationInput {
  email: string;
  password: string;
  name: string;
  role: 'shopper' | 'seller';
  shopName?: string;
  /** The registration page's language (mails and notifications follow it). */
  locale?: Locale;
  /** An invite code (`/register?invite=CODE`): the new account joins the inviter's referrals. */
  invite?: string;
}

interface Registration {
  input: RegistrationInput;
  user: User | null;
  shop: Shop | null;
}

/**
 * Account registration. A seller account is a user plus a shop, still `pending`, plus its draft onboarding
 * application (the seller sends their business details from the seller centre; staff approve, and the
 * shop opens: `seller-approval.ts`): if any of them cannot be made, what was made is removed again. A
 * shopper's account is the first step only.
 */
export function createRegistrationFlow(deps: {
  users: Pick<UserService, 'createUser' | 'attachShop' | 'deleteUser'>;
  shops: Pick<ShopService, 'createShop' | 'deleteShop'>;
  applications: Pick<SellerApplicationService, 'open' | 'remove'>;
  referrals: Pick<ReferralService, 'checkInvite' | 'join'>;
  log: Logger;
}) {
  const flow = defineFlow<Registration>({
    name: 'registration',
    log: deps.log,
    describe: ({ input, user, shop }) => ({ email: input.email, userId: user?.id, shopId: shop?.id }),
    steps: [
      {
        name: 'create user',
        run: async (run) => {
          const { input } = run;
          run.user = await deps.users.createUser({
            email: input.email,
            password: input.password,
            name: input.name,
            roles: input.role === 'seller' ? ['shopper', 'seller'] : ['shopper'],
            locale: input.locale,
          });
        },
        compensate: async ({ user }) => {
          if (user) await deps.users.deleteUser(user.id);
        },
      },
      {
        name: 'create shop',
        run: async (run) => {
          const { input, user } = run;
          if (input.role !== 'seller' || !user) return;
          run.shop = await deps.shops.createShop({
            ownerId: user.id,
            name: input.shopName ?? `${input.name}'s shop`,
            status: 'pending',
          });
        },
        compensate: async ({ shop }) => {
          if (shop) await deps.shops.deleteShop(shop.id);
        },
      },
      {
        name: 'open application',
        run: async ({ user, shop }) => {
          if (user && shop) await deps.applications.open({ userId: user.id, shopId: shop.id });
        },
        compensate: async ({ shop }) => {
          if (shop) await deps.applications.remove(shop.id);
        },
      },
      {
        name: 'attach shop',
        // No undo of its own: removing the user removes the link.
        run: async ({ user, shop }) => {
          if (user && shop) await deps.users.attachShop(user.id, shop.id);
        },
      },
      {
        name: 'join referral',
        // Last, so nothing after it can fail and leave a referral of a removed account; a refusal here
        // (the inviter's cap reached meanwhile) removes the account made above.
        run: async ({ input, user }) => {
          if (!user || !input.invite) return;
          try {
            await deps.referrals.join(user, input.invite);
          } catch (err) {
            if (err instanceof ValidationError) return refuse(err);
            throw err;
          }
        },
      },
    ],
  });

  return {
    flow,
    async register(input: RegistrationInput): Promise<User> {
      requireAcceptablePassword(input.password, input, 'body.password');
      // An unknown or own code is refused before any account exists (422 naming body.invite).
      if (input.invite) await deps.referrals.checkInvite(input.invite, { email: input.email });
      const run: Registration = { input, user: null, shop: null };
      await flow.run(run);
      if (!run.user) throw new Error(`registering ${input.email} made no user`);
      return run.shop ? { ...run.user, shopId: run.shop.id } : run.user;
    },
  };
}

export type RegistrationFlow = ReturnType<typeof createRegistrationFlow>;
