import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestClock } from '../../../tests/support/clock';
import { openTestDatabase } from '../../../tests/support/database';
import { createAuditLog } from './service';

let db: Awaited<ReturnType<typeof openTestDatabase>>;
beforeAll(async () => {
  db = await openTestDatabase('audit');
});
afterAll(async () => {
  await db?.close();
});

const admin = { id: 'usr_admin', roles: ['admin'] };
const support = { id: 'usr_support', roles: ['support'] };

describe('audit log', () => {
  it('records who did what to which thing, with the values before and after, newest first', async () => {
    const clock = createTestClock();
    clock.freeze();
    const audit = createAuditLog({ connection: db.connection, clock: clock.now });
    await audit.record({
      actor: admin,
      action: 'user.roles_changed',
      target: { type: 'user', id: 'usr_1' },
      before: { roles: ['shopper'] },
      after: { roles: ['shopper', 'support'] },
    });
    clock.advance(1000);
    await audit.record({
      actor: support,
      action: 'order.refunded',
      target: { type: 'order', id: 'ord_1' },
      after: { amount: 1250, 'odd.key$': true },
      reason: 'damaged in transit',
    });
    const { items } = await audit.list({}, { limit: 10 });
    expect(items.map((e) => e.action)).toEqual(['order.refunded', 'user.roles_changed']);
    expect(items[0]).toMatchObject({
      actor: support,
      target: { type: 'order', id: 'ord_1' },
      before: null,
      after: { amount: 1250, 'odd.key$': true },
      reason: 'damaged in transit',
    });
    expect(items[1]).toMatchObject({
      before: { roles: ['shopper'] },
      after: { roles: ['shopper', 'support'] },
    });
  });

  it('pages by cursor and filters by actor, action, target and time without repeating or skipping', async () => {
    const clock = createTestClock();
    clock.freeze();
    const connection = db.connection.useDb(`audit_paging_${Date.now()}`);
    const audit = createAuditLog({ connection, clock: clock.now });
    const start = clock.now();
    for (let i = 0; i < 25; i++) {
      await audit.record({
        actor: i % 2 ? admin : support,
        action: i % 3 ? 'coupon.changed' : 'photo.approved',
        target: { type: i % 3 ? 'coupon' : 'photo', id: `t${i % 5}` },
        after: { i },
      });
      clock.advance(i === 9 ? 0 : 10); // two entries share a millisecond: the cursor must still hold
    }
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof audit.list>> = await audit.list({}, { limit: 7, cursor });
      seen.push(...page.items.map((e) => (e.after as { i: number }).i));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(25);
    expect(new Set(seen).size).toBe(25);

    const byAdmin = await audit.list({ actorId: admin.id }, { limit: 100 });
    expect(byAdmin.items.every((e) => e.actor.id === admin.id)).toBe(true);
    expect(byAdmin.items).toHaveLength(12);
    const photos = await audit.list({ action: 'photo.approved', targetId: 't0' }, { limit: 100 });
    expect(photos.items.map((e) => (e.after as { i: number }).i).sort((a, b) => a - b)).toEqual([0, 15]);
    const window = await audit.list(
      { from: new Date(start.getTime() + 100), to: new Date(start.getTime() + 150) },
      { limit: 100 },
    );
    expect(window.items.map((e) => (e.after as { i: number }).i).sort((a, b) => a - b)).toEqual([
      11, 12, 13, 14, 15,
    ]);
  });

  it('offers no way to change or remove a line', () => {
    const audit = createAuditLog({ connection: db.connection });
    expect(Object.keys(audit).sort()).toEqual(['list', 'record']);
  });
});
