import type { AuditLog } from '../audit';
import type { AuthService } from '../auth';
import type { CatalogService, Product } from '../catalog';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors';
import type { SellerApprovalFlow } from '../flows/seller-approval';
import type { ApplicationDecision } from '../seller-applications';
import { isShopOpen, type Shop, type ShopService, type ShopStatusChange } from '../shops';
import type { EventBus } from '../events';
import { type Clock, systemClock } from '../clock';
import type { AccountAccess, Role, User, UserService } from '../users';

type Staff = Pick<User, 'id' | 'roles'>;

const shopFacts = (shop: Shop) => ({
  status: shop.status,
  reason: shop.statusReason,
  ownerBlocked: shop.ownerBlocked,
});
const accessFacts = (a: AccountAccess) => ({
  roles: a.roles,
  blocked: a.blocked ? { reason: a.blocked.reason } : null,
});
const takedownFacts = (p: Product) => ({ takenDown: !!p.takedown, reason: p.takedown?.reason ?? null });

/**
 * What staff do in the back office, each recorded in the audit log after it took effect (who, what, the
 * target, before and after, the reason). The routes call these and nothing else, so no staff action
 * can skip its audit line.
 */
export function createStaffActions(deps: {
  users: Pick<UserService, 'getAccess' | 'setRoles'>;
  auth: Pick<AuthService, 'blockUser' | 'unblockUser' | 'endAllSessions'>;
  shops: Pick<ShopService, 'setStatus' | 'setOwnerBlocked' | 'getShop'>;
  catalog: Pick<CatalogService, 'takeDown' | 'reinstate' | 'productIdsOfShop'>;
  bus: Pick<EventBus, 'publish'>;
  clock?: Clock;
  approval: Pick<SellerApprovalFlow, 'decide'>;
  audit: Pick<AuditLog, 'record'>;
}) {
  const { audit } = deps;
  const now = deps.clock ?? systemClock;

  /** Tells the pages showing these products (category pages, search) that they left or rejoined sale. */
  async function announceSale(productIds: string[], onSale: boolean): Promise<void> {
    if (productIds.length)
      await deps.bus.publish('products.sale_changed', { productIds, onSale, at: now().toISOString() });
  }

  async function announceShop(change: ShopStatusChange | null): Promise<void> {
    if (!change || isShopOpen(change.before) === isShopOpen(change.after)) return;
    await announceSale(await deps.catalog.productIdsOfShop(change.after.id), isShopOpen(change.after));
  }

  /** A blocked seller's shop is hidden (and shown again on unblock) through the shop's status path. */
  async function followOwnerBlock(account: AccountAccess, blocked: boolean): Promise<void> {
    if (account.shopId && (await deps.shops.getShop(account.shopId)))
      await announceShop(await deps.shops.setOwnerBlocked(account.shopId, blocked));
  }

  return {
    async decideApplication(
      staff: Staff,
      applicationId: string,
      decision: ApplicationDecision,
      note: string | null,
    ) {
      const result = await deps.approval.decide({ applicationId, decision, actorId: staff.id, note });
      await announceShop(result.shop);
      await audit.record({
        actor: staff,
        action: `seller_application.${decision}`,
        target: { type: 'seller_application', id: applicationId },
        before: { status: result.application.before.status },
        after: { status: result.application.after.status, shopStatus: result.shop?.after.status ?? null },
        reason: note,
      });
      return result;
    },

    /** Suspends (`suspended`) or reinstates (`active`) a shop; its products leave or rejoin the storefront. */
    async setShopStatus(staff: Staff, shopId: string, status: 'active' | 'suspended', reason: string) {
      const change = await deps.shops.setStatus(shopId, status, { actorId: staff.id, reason });
      await announceShop(change);
      await audit.record({
        actor: staff,
        action: status === 'suspended' ? 'shop.suspended' : 'shop.reinstated',
        target: { type: 'shop', id: shopId },
        before: shopFacts(change.before),
        after: shopFacts(change.after),
        reason,
      });
      return change;
    },

    async takeDownProduct(staff: Staff, productId: string, reason: string) {
      const change = await deps.catalog.takeDown(productId, { actorId: staff.id, reason });
      await announceSale([productId], false);
      await audit.record({
        actor: staff,
        action: 'product.taken_down',
        target: { type: 'product', id: productId },
        before: takedownFacts(change.before),
        after: takedownFacts(change.after),
        reason,
      });
      return change;
    },

    async reinstateProduct(staff: Staff, productId: string, reason: string | null) {
      const change = await deps.catalog.reinstate(productId, { actorId: staff.id });
      await announceSale([productId], true);
      await audit.record({
        actor: staff,
        action: 'product.reinstated',
        target: { type: 'product', id: productId },
        before: takedownFacts(change.before),
        after: takedownFacts(change.after),
        reason,
      });
      return change;
    },

    /** Blocks an account: no login, every session and socket ended, a seller's shop hidden. */
    async blockUser(staff: Staff, userId: string, reason: string) {
      const before = await deps.users.getAccess(userId);
      if (!before) throw new NotFoundError('User');
      const after = await deps.auth.blockUser(userId, { reason, by: staff.id });
      await followOwnerBlock(after, true);
      await audit.record({
        actor: staff,
        action: 'user.blocked',
        target: { type: 'user', id: userId },
        before: accessFacts(before),
        after: accessFacts(after),
        reason,
      });
      return after;
    },

    async unblockUser(staff: Staff, userId: string, reason: string | null) {
      const before = await deps.users.getAccess(userId);
      if (!before) throw new NotFoundError('User');
      const after = await deps.auth.unblockUser(userId);
      await followOwnerBlock(after, false);
      await audit.record({
        actor: staff,
        action: 'user.unblocked',
        target: { type: 'user', id: userId },
        before: accessFacts(before),
        after: accessFacts(after),
        reason,
      });
      return after;
    },

    /**
     * Replaces an account's roles. An admin cannot take away their own admin role (someone else must),
     * and `shopper` stays (every account can shop). Adding roles takes effect on the person's next
     * request (each request re-reads the account); removing one also ends their sessions, so a socket
     * that joined a staff namespace (`/support`) under the old roles is cut at once.
     */
    async changeRoles(staff: Staff, userId: string, roles: Role[], reason: string | null) {
      const wanted = [...new Set<Role>(['shopper', ...roles])];
      if (userId === staff.id && !wanted.includes('admin'))
        throw new ForbiddenError('You cannot remove your own admin role');
      const current = await deps.users.getAccess(userId);
      if (!current) throw new NotFoundError('User');
      if (wanted.includes('seller') && !current.shopId && !current.roles.includes('seller'))
        throw new ConflictError('A seller needs a shop: they register one as a seller', {
          fields: [{ field: 'body.roles', message: 'seller needs a shop' }],
        });
      const { before, after } = await deps.users.setRoles(userId, wanted);
      const removed = before.roles.filter((r) => !after.roles.includes(r));
      if (removed.length) await deps.auth.endAllSessions(userId, 'roles_changed');
      await audit.record({
        actor: staff,
        action: 'user.roles_changed',
        target: { type: 'user', id: userId },
        before: { roles: before.roles },
        after: { roles: after.roles },
        reason,
      });
      return after;
    },
  };
}

export type StaffActions = ReturnType<typeof createStaffActions>;
