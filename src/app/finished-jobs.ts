/**
 * Jobs whose bus task is closed because they finished (see `Bus.closeTask`). It mirrors the bus's
 * closed flag, which the Bus does not expose, so that a job is closed (and its drops flushed)
 * once, and reopened only when it was closed.
 */
export class FinishedJobs {
  private readonly closed = new Set<string>();

  isClosed(task: string): boolean {
    return this.closed.has(task);
  }

  close(task: string): void {
    this.closed.add(task);
  }

  /** True when the job was closed (and now is not). */
  reopen(task: string): boolean {
    return this.closed.delete(task);
  }
}
