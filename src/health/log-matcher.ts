/**
 * Readiness by log line (`ready = { log = "…" }`): feed every output line of one pod; the first
 * line that matches fires `onMatch` once, later lines are ignored. A fresh matcher per pod run.
 */
export class LogMatcher {
  private readonly pattern: RegExp;
  private readonly onMatch: (line: string) => void;
  private done = false;

  constructor(pattern: RegExp, onMatch: (line: string) => void) {
    // Without g/y, test() keeps no lastIndex between lines.
    this.pattern = new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ''));
    this.onMatch = onMatch;
  }

  get matched(): boolean {
    return this.done;
  }

  /** Returns true for the line that matched (only once). A trailing "\r" is ignored. */
  feed(line: string): boolean {
    if (this.done) return false;
    const text = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (!this.pattern.test(text)) return false;
    this.done = true;
    this.onMatch(text);
    return true;
  }
}
