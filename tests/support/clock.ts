import type { Clock } from '@market/core';

/**
 * A clock a test moves by hand, for `startTestApp({ clock: testClock.now })` and any service factory that
 * takes a `clock`. It runs with the wall clock (plus whatever the test skipped ahead) until `freeze()`,
 * after which time stands still except for `advance()`: a window, a timeout or a silence then lasts exactly
 * as long as the test says, however slowly the machine runs.
 */
export interface TestClock {
  now: Clock;
  /** Moves time forward by `ms` (frozen or not). */
  advance(ms: number): void;
  /** Holds time at its current value. */
  freeze(): void;
  /** Lets time run with the wall clock again, from where it stood. */
  resume(): void;
}

export function createTestClock(): TestClock {
  let offsetMs = 0;
  let frozenAt: number | null = null;
  const read = () => frozenAt ?? Date.now() + offsetMs;
  return {
    now: () => new Date(read()),
    advance(ms) {
      if (ms < 0) throw new Error('a test clock only moves forward');
      if (frozenAt === null) offsetMs += ms;
      else frozenAt += ms;
    },
    freeze() {
      frozenAt = read();
    },
    resume() {
      if (frozenAt === null) return;
      offsetMs = frozenAt - Date.now();
      frozenAt = null;
    },
  };
}
