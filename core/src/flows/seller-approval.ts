import type { Clock } from '../clock';
import { systemClock } from '../clock';
import type { EventBus } from '../events';
import type { Logger } from '../logger';
import type {
  ApplicationChange,
  ApplicationDecision,
  SellerApplication,
  SellerApplicationService,
} from '../seller-applications';
import type { ShopService, ShopStatusChange } from '../shops';
import { defineFlow } from './flow';

interface Decision {
  applicationId: string;
  decision: ApplicationDecision;
  actorId: string;
  note: string | null;
  application: ApplicationChange | null;
  shop: ShopStatusChange | null;
}

/**
 * Staff decide on a seller application: record the decision (↩ the application waits again), then, on
 * approval, open the shop (pending → active; its products join the storefront and search). Last, the
 * decision is published for the seller (`seller_application.decided`).
 */
export function createSellerApprovalFlow(deps: {
  applications: Pick<SellerApplicationService, 'decide' | 'reopen'>;
  shops: Pick<ShopService, 'setStatus' | 'requireShop'>;
  bus: EventBus;
  log: Logger;
  clock?: Clock;
}) {
  const now = deps.clock ?? systemClock;
  const flow = defineFlow<Decision>({
    name: 'seller approval',
    log: deps.log,
    describe: ({ applicationId, decision }) => ({ applicationId, decision }),
    steps: [
      {
        name: 'record decision',
        run: async (run) => {
          run.application = await deps.applications.decide(run.applicationId, run.decision, {
            actorId: run.actorId,
            note: run.note,
          });
        },
        compensate: async ({ applicationId, application }) => {
          if (application) await deps.applications.reopen(applicationId, application.before);
        },
      },
      {
        name: 'open shop',
        // The last step: nothing after it can fail and need it undone.
        run: async (run) => {
          if (run.decision !== 'approved' || !run.application) return;
          const shop = await deps.shops.requireShop(run.application.after.shopId);
          if (shop.status === 'pending')
            run.shop = await deps.shops.setStatus(shop.id, 'active', {
              actorId: run.actorId,
              reason: run.note,
            });
        },
      },
    ],
  });

  return {
    flow,
    async decide(input: {
      applicationId: string;
      decision: ApplicationDecision;
      actorId: string;
      note: string | null;
    }): Promise<{ application: ApplicationChange; shop: ShopStatusChange | null }> {
      const run: Decision = { ...input, application: null, shop: null };
      await flow.run(run);
      const application = run.application!;
      const decided: SellerApplication = application.after;
      await deps.bus.publish('seller_application.decided', {
        applicationId: decided.id,
        userId: decided.userId,
        shopId: decided.shopId,
        shopName: (await deps.shops.requireShop(decided.shopId)).name,
        decision: input.decision,
        note: input.note,
        by: input.actorId,
        at: now().toISOString(),
      });
      return { application, shop: run.shop };
    },
  };
}

export type SellerApprovalFlow = ReturnType<typeof createSellerApprovalFlow>;
