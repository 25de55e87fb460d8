/**
 * Polls `probe` every `everyMs` until it returns something truthy (which it resolves with), and throws
 * naming `label` once `timeoutMs` have passed without. For waits that must notice a short-lived state or
 * measure when a change becomes visible — a job while it runs, a rename reaching search — and so choose
 * their own pace; the everyday wait in tests is `waitFor` (process.ts). Probe errors are not caught: a
 * probe that can fail while the thing starts catches its own.
 */
export async function until<T>(
  probe: () => Promise<T | undefined | null | false>,
  timeoutMs: number,
  label: string,
  everyMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`gave up after ${timeoutMs} ms waiting for ${label}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
