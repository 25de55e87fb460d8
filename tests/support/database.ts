import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { connectDatabase, type Database } from '@market/core/db';

/** A fresh, uniquely named database on the suite's FerretDB (or MongoDB), dropped by `close()`. */
export async function openTestDatabase(prefix = 't'): Promise<Database & { dbName: string }> {
  const dbName = `${prefix}_${randomBytes(5).toString('hex')}`;
  const db = await connectDatabase(inject('mongoUri'), dbName);
  return {
    ...db,
    dbName,
    async close() {
      await db.connection.dropDatabase().catch(() => undefined);
      await db.close();
    },
  };
}
