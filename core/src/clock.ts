/**
 * Where a service reads "now". Every service that stamps, expires or compares times takes one through its
 * factory (`createCoreServices` passes the same one to all of them), so a test can hold time still or move
 * it forward instead of sleeping. Durations measured for logs and poll deadlines stay on the wall clock.
 */
export type Clock = () => Date;

/** Real time: the default everywhere. */
export const systemClock: Clock = () => new Date();
