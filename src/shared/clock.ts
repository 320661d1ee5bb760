/**
 * The system's notion of "now". Everything time-dependent (deadlines, sessions, lockouts, certificates)
 * asks a Clock, so CLOCK_NOW can move the whole system to another moment for tests and demos.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock frozen at `at` that can be moved (tests and CLOCK_NOW demos). */
export function fixedClock(at: Date): Clock & { set(at: Date): void } {
  let current = new Date(at);
  return {
    now: () => new Date(current),
    set(next: Date) {
      current = new Date(next);
    },
  };
}
