import { inject } from 'vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../../tests/support/database';
import { connectDatabase, type Database } from '../db/database';
import { createSecretStore, PAYMENT_WEBHOOK_SECRET_NAME } from './service';

let db: Awaited<ReturnType<typeof openTestDatabase>>;
let other: Database;

beforeAll(async () => {
  db = await openTestDatabase('secrets');
  // A second connection to the same database, as a second process would have.
  other = await connectDatabase(inject('mongoUri'), db.dbName);
});
afterAll(async () => {
  await other?.close();
  await db?.close();
});

describe('shared secrets', () => {
  it('generates one random secret that every store on the database agrees on, however they race', async () => {
    const stores = Array.from({ length: 12 }, (_, i) =>
      createSecretStore({ connection: (i % 2 ? other : db).connection }),
    );
    const values = await Promise.all(stores.map((s) => s.shared(PAYMENT_WEBHOOK_SECRET_NAME)));
    expect(new Set(values).size).toBe(1);
    expect(values[0]).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 random bytes
    expect(await db.connection.collection('secrets').countDocuments()).toBe(1);
    // A store created later (a process started afterwards) reads the same one.
    expect(
      await createSecretStore({ connection: other.connection }).shared(PAYMENT_WEBHOOK_SECRET_NAME),
    ).toBe(values[0]);
  });

  it('gives each name its own secret', async () => {
    const store = createSecretStore({ connection: db.connection });
    const a = await store.shared('secret-a');
    const b = await store.shared('secret-b');
    expect(a).not.toBe(b);
    expect(await store.shared('secret-a')).toBe(a);
  });
});
