/** Room names, one per entity; each lives inside the namespace of the audience that may see it. */
export const productRoom = (productId: string) => `product:${productId}`;
/** A group buy's page: its progress. */
export const groupRoom = (groupId: string) => `group:${groupId}`;
export const orderRoom = (orderId: string) => `order:${orderId}`;
export const deliveryRoom = (deliveryId: string) => `delivery:${deliveryId}`;
export const sellerRoom = (sellerId: string) => `seller:${sellerId}`;
export const userRoom = (userId: string) => `user:${userId}`;
/**
 * Every socket a login session opened, in every namespace: how a logout, a password change, a block or
 * expiry finds them (`disconnectSockets` through the adapter, so on every node).
 */
export const sessionRoom = (sessionId: string) => `session:${sessionId}`;
export const courierRoom = (courierId: string) => `courier:${courierId}`;
/** Every support and admin session, in the `/support` namespace. */
export const SUPPORT_ROOM = 'support';

/** Rooms a socket is put in by the server; they do not count against a socket's watch budget. */
export const AUTOMATIC_ROOM_PREFIXES = ['user:', 'session:', 'seller:', 'courier:', SUPPORT_ROOM];
