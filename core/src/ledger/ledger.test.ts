import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../../tests/support/database';
import { createLedger, pruneLedgerRefs, type LedgerEntry } from './ledger';

interface CounterEntry extends LedgerEntry {
  counter: string;
  value: number;
}

let db: Awaited<ReturnType<typeof openTestDatabase>>;
beforeAll(async () => {
  db = await openTestDatabase('ledger');
});
afterAll(() => db?.close());

/** Two ledgers on one database stand for two processes: they share nothing but the collections. */
function ledgers(name: string) {
  const make = () =>
    createLedger<CounterEntry>({
      connection: db.connection,
      collection: name,
      heads: `${name}_heads`,
      keyField: 'counter',
    });
  return [make(), make()] as const;
}

const add =
  (n: number, limit = Infinity) =>
  (head: CounterEntry | null) => {
    const value = (head?.value ?? 0) + n;
    return value > limit ? null : { counter: 'c', value };
  };

describe('ledger', () => {
  it('loses no update when two writers append to one key concurrently', async () => {
    const [a, b] = ledgers('l_concurrent');
    await Promise.all(Array.from({ length: 60 }, (_, i) => (i % 2 ? a : b).append('c', add(1))));
    const head = await a.latest('c');
    expect(head).toMatchObject({ version: 60, value: 60 });
    expect((await b.history('c', 100)).map((e) => e.version)).toEqual(
      Array.from({ length: 60 }, (_, i) => 60 - i),
    );
    const hints = await b.hints(['c', 'never-written']);
    expect(hints.get('c')).toMatchObject({ _id: 'c:60', counter: 'c', value: 60 });
    expect(hints.has('never-written')).toBe(false);
  });

  it('refuses what the decision refuses, never past a limit under a race', async () => {
    const [a, b] = ledgers('l_limit');
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).append('c', add(1, 7))),
    );
    expect(results.filter((r) => r.status === 'appended')).toHaveLength(7);
    expect(results.filter((r) => r.status === 'refused')).toHaveLength(33);
    expect((await a.latest('c'))?.value).toBe(7);
  });

  it('applies an appendOnce step exactly once, however often and from wherever it is retried', async () => {
    const [a, b] = ledgers('l_once');
    await a.append('c', add(100));
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).appendOnce('c', 'refund:order-1', add(5))),
    );
    expect(results.filter((r) => r.status === 'appended')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'already')).toHaveLength(19);
    // Other writers in between do not hide the step from a later retry.
    await b.append('c', add(1));
    expect((await a.appendOnce('c', 'refund:order-1', add(5))).status).toBe('already');
    expect((await a.latest('c'))?.value).toBe(106);
    expect(await b.applied('c', 'refund:order-1')).toMatchObject({ ref: 'refund:order-1', value: 105 });
    expect(await b.applied('c', 'refund:order-2')).toBeNull();
  });

  it('finds the head when the hint lags behind (a writer died before moving it)', async () => {
    const [a] = ledgers('l_hint');
    await a.append('c', add(1));
    // An entry written without its hint, as after a crash between the two writes.
    await a.collection.insertOne({
      _id: 'c:2',
      counter: 'c',
      version: 2,
      value: 2,
      at: new Date(),
      ref: null,
    } as never);
    expect(await a.latest('c')).toMatchObject({ version: 2, value: 2 });
    expect((await a.append('c', add(1))).status).toBe('appended');
    expect((await a.latest('c'))?.value).toBe(3);
  });

  it('prunes old appendOnce claims from every ledger, keeping recent ones', async () => {
    const [a] = ledgers('l_prune');
    await a.appendOnce('c', 'old', add(1));
    await a.appendOnce('c', 'new', add(1));
    await db.connection
      .collection('l_prune_refs')
      .updateOne({ _id: 'c|old' as never }, { $set: { at: new Date(0) } });
    expect(await pruneLedgerRefs(db.connection, new Date(Date.now() - 60_000))).toBe(1);
    expect(await a.applied('c', 'new')).not.toBeNull();
  });
});
