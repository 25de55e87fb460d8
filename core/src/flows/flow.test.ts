import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { defineFlow, FlowCompensationError, refuse, type FlowStep } from './flow';

/** A logger whose JSON lines the test reads back. */
function capturedLog() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  return { log: pino({ level: 'info' }, sink), lines };
}

/**
 * A tiny stand-in for the ledger's exactly-once writes: each effect is applied at most once per ref,
 * which is what lets a run (or its undo) be repeated after a crash without doing anything twice.
 */
function onceStore() {
  const applied = new Map<string, number>();
  return {
    applied,
    once(ref: string, apply: () => void) {
      if (applied.has(ref)) return;
      applied.set(ref, 1);
      apply();
    },
  };
}

interface Run {
  id: string;
  trail: string[];
}

const step = (name: string, extra: Partial<FlowStep<Run>> = {}): FlowStep<Run> => ({
  name,
  run: async (ctx) => void ctx.trail.push(`run ${name}`),
  compensate: async (ctx) => void ctx.trail.push(`undo ${name}`),
  ...extra,
});

describe('defineFlow', () => {
  it('runs the steps in order and compensates nothing when they all succeed', async () => {
    const { log } = capturedLog();
    const flow = defineFlow<Run>({ name: 'three', log, steps: [step('a'), step('b'), step('c')] });
    const ctx: Run = { id: 'r1', trail: [] };
    await flow.run(ctx);
    expect(ctx.trail).toEqual(['run a', 'run b', 'run c']);
    expect(flow.steps).toEqual(['a', 'b', 'c']);
  });

  it('on a refusal undoes the refusing step and those before it in reverse, then throws the refusal', async () => {
    const { log } = capturedLog();
    const soldOut = new Error('sold out');
    const flow = defineFlow<Run>({
      name: 'refused',
      log,
      steps: [
        step('a'),
        step('no-undo', { compensate: undefined }),
        step('b', {
          run: async (ctx) => {
            ctx.trail.push('run b (half)');
            return refuse(soldOut);
          },
        }),
        step('never'),
      ],
    });
    const ctx: Run = { id: 'r2', trail: [] };
    await expect(flow.run(ctx)).rejects.toBe(soldOut);
    expect(ctx.trail).toEqual(['run a', 'run no-undo', 'run b (half)', 'undo b', 'undo a']);
  });

  it('compensates a thrown error by default, including the step that threw', async () => {
    const { log } = capturedLog();
    const crash = new Error('store went away');
    const flow = defineFlow<Run>({
      name: 'thrown',
      log,
      steps: [
        step('a'),
        step('b', {
          run: async () => {
            throw crash;
          },
        }),
      ],
    });
    const ctx: Run = { id: 'r3', trail: [] };
    await expect(flow.run(ctx)).rejects.toBe(crash);
    expect(ctx.trail).toEqual(['run a', 'undo b', 'undo a']);
  });

  it("with onError 'resume' leaves the steps done to a retry, and still compensates a refusal", async () => {
    const { log } = capturedLog();
    const crash = new Error('store went away');
    let failNext = true;
    const flow = defineFlow<Run>({
      name: 'resumable',
      log,
      onError: 'resume',
      steps: [
        step('a'),
        step('b', {
          run: async (ctx) => {
            if (failNext) throw crash;
            ctx.trail.push('run b');
            return ctx.id === 'refuse' ? refuse(new Error('no')) : undefined;
          },
        }),
      ],
    });
    const ctx: Run = { id: 'r4', trail: [] };
    await expect(flow.run(ctx)).rejects.toBe(crash);
    expect(ctx.trail).toEqual(['run a']);
    failNext = false;
    await flow.run(ctx);
    expect(ctx.trail).toEqual(['run a', 'run a', 'run b']);

    const refused: Run = { id: 'refuse', trail: [] };
    await expect(flow.run(refused)).rejects.toThrow('no');
    expect(refused.trail).toEqual(['run a', 'run b', 'undo b', 'undo a']);
  });

  it('reports a failing compensation instead of swallowing it, after running the others', async () => {
    const { log, lines } = capturedLog();
    const soldOut = new Error('sold out');
    const undoFailed = new Error('release failed');
    const flow = defineFlow<Run>({
      name: 'checkout-like',
      log,
      describe: (ctx) => ({ runId: ctx.id }),
      steps: [
        step('create orders'),
        step('hold stock', {
          compensate: async () => {
            throw undoFailed;
          },
        }),
        step('open payment', { run: async () => refuse(soldOut) }),
      ],
    });
    const ctx: Run = { id: 'r5', trail: [] };
    const error = await flow.run(ctx).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(FlowCompensationError);
    const failure = error as FlowCompensationError;
    expect(failure.cause).toBe(soldOut);
    expect(failure.errors).toEqual([undoFailed]);
    expect(failure.failures).toEqual([{ step: 'hold stock', error: undoFailed }]);
    expect(failure.message).toContain('hold stock');
    expect(failure.message).toContain('sold out');
    // The compensation before it (in reverse order) still ran.
    expect(ctx.trail).toEqual([
      'run create orders',
      'run hold stock',
      'undo open payment',
      'undo create orders',
    ]);
    const logged = lines.filter((l) => l.msg === 'flow compensation failed');
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({
      level: 50,
      flow: 'checkout-like',
      step: 'hold stock',
      runId: 'r5',
      after: 'sold out',
      err: { message: 'release failed' },
    });
  });

  it('runs again after a crash in its undo without applying anything twice (idempotent steps)', async () => {
    const { log } = capturedLog();
    const store = onceStore();
    let stock = 10;
    let crashUndoOnce = true;
    const flow = defineFlow<Run>({
      name: 'hold',
      log,
      steps: [
        {
          name: 'hold',
          run: async (ctx) => store.once(`hold:${ctx.id}`, () => (stock -= 3)),
          compensate: async (ctx) => {
            if (!store.applied.has(`hold:${ctx.id}`)) return;
            store.once(`release:${ctx.id}`, () => (stock += 3));
            if (crashUndoOnce) {
              crashUndoOnce = false;
              throw new Error('crashed after releasing');
            }
          },
        },
        { name: 'pay', run: async () => refuse(new Error('declined')) },
      ],
    });
    await expect(flow.run({ id: 'c1', trail: [] })).rejects.toBeInstanceOf(FlowCompensationError);
    expect(stock).toBe(10);
    // Recovery runs the same flow again: the hold is not taken twice and the release not given twice.
    await expect(flow.run({ id: 'c1', trail: [] })).rejects.toThrow('declined');
    expect(stock).toBe(10);
    expect([...store.applied.keys()]).toEqual(['hold:c1', 'release:c1']);
  });
});
