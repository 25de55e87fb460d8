import type { Logger } from '../logger';

/**
 * A step's answer when it will not go on for a business reason (sold out, coupon used up): the flow
 * undoes what was done and throws `error`, which says why to the caller.
 */
export interface Refusal {
  readonly refused: Error;
}

export function refuse(error: Error): Refusal {
  return { refused: error };
}

export interface FlowStep<C> {
  /** Names the step in logs and in a `FlowCompensationError`. */
  name: string;
  /** Does the step's work, reading and adding to the run's context; may return a refusal. */
  run(ctx: C): Promise<void | Refusal>;
  /**
   * Undoes the step. Also runs for the step that refused or failed, which may have done part of its
   * work, so it must do nothing for work that was not done. It must be idempotent: a crash can cut it
   * short, and recovery (a retry, the reconcile and expiry jobs) runs the same undo again.
   */
  compensate?(ctx: C): Promise<void>;
}

export interface FlowDefinition<C> {
  name: string;
  steps: FlowStep<C>[];
  /**
   * What an error thrown by a step (a crash-like failure, not a refusal) does. `compensate` (the
   * default) undoes the steps done so far, like a refusal. `resume` leaves them: the flow is resumable
   * (every id derives from an idempotency key), so a retry continues where it stopped, and a recovery
   * job undoes what nobody comes back for.
   */
  onError?: 'compensate' | 'resume';
  /** The ids that identify one run in the logs (a checkout id, a user id…). */
  describe?(ctx: C): Record<string, unknown>;
  log: Logger;
}

export interface Flow<C> {
  readonly name: string;
  readonly steps: readonly string[];
  /**
   * Runs the steps in order. On a refusal (or, with `onError: 'compensate'`, a thrown error) the steps
   * done so far are compensated in reverse order, the refusing one first, and the refusal's error (or
   * the thrown one) is thrown. Throws a `FlowCompensationError` instead when a compensation failed.
   */
  run(ctx: C): Promise<void>;
}

/** One compensation that threw, by step. */
export interface CompensationFailure {
  step: string;
  error: unknown;
}

/**
 * A flow failed and undoing it failed too: `cause` is why the flow stopped, `errors` what each failing
 * compensation threw. Not a client error (the HTTP layer answers 500): what was left undone is for the
 * recovery that covers a crash at the same point (a retry, the reconcile or expiry jobs).
 */
export class FlowCompensationError extends AggregateError {
  readonly flow: string;
  readonly failures: CompensationFailure[];
  constructor(flow: string, cause: unknown, failures: CompensationFailure[]) {
    super(
      failures.map((f) => f.error),
      `${flow}: undoing it failed at ${failures.map((f) => f.step).join(', ')} (after: ${messageOf(cause)})`,
      { cause },
    );
    this.name = 'FlowCompensationError';
    this.flow = flow;
    this.failures = failures;
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function isRefusal(outcome: void | Refusal): outcome is Refusal {
  return typeof outcome === 'object' && outcome !== null && 'refused' in outcome;
}

/**
 * A cross-domain flow as named steps, each with its compensation beside it (after Medusa's workflows).
 * It orchestrates and nothing more: it keeps no state between runs and writes nothing itself, so what
 * makes a step exactly-once is the step's own unique-keyed writes (ledger refs, claims, ids derived from
 * an idempotency key), and what finishes a run a crash cut short is the recovery job that already covers
 * that crash. Every compensation runs even when an earlier one failed (each must stand on its own);
 * failures are logged with the flow, the step and the run's ids, then thrown together.
 */
export function defineFlow<C>(def: FlowDefinition<C>): Flow<C> {
  const onError = def.onError ?? 'compensate';

  async function compensate(ctx: C, done: FlowStep<C>[], cause: unknown): Promise<void> {
    const failures: CompensationFailure[] = [];
    for (const step of [...done].reverse()) {
      if (!step.compensate) continue;
      try {
        await step.compensate(ctx);
      } catch (error) {
        failures.push({ step: step.name, error });
        def.log.error(
          { err: error, flow: def.name, step: step.name, ...def.describe?.(ctx), after: messageOf(cause) },
          'flow compensation failed',
        );
      }
    }
    if (failures.length) throw new FlowCompensationError(def.name, cause, failures);
  }

  return {
    name: def.name,
    steps: def.steps.map((s) => s.name),
    async run(ctx: C): Promise<void> {
      const done: FlowStep<C>[] = [];
      for (const step of def.steps) {
        let outcome: void | Refusal;
        try {
          outcome = await step.run(ctx);
        } catch (err) {
          if (onError === 'resume') throw err;
          await compensate(ctx, [...done, step], err);
          throw err;
        }
        done.push(step);
        if (isRefusal(outcome)) {
          await compensate(ctx, done, outcome.refused);
          throw outcome.refused;
        }
      }
    },
  };
}
