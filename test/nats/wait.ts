/**
 * Waits until `check()` holds, re-checking every 10 ms, and fails naming `what` at the deadline.
 * For state that lives on a server or another connection, where no local event says it changed.
 */
export async function until(check: () => boolean | Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
