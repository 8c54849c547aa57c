import type { OutputSink } from '../pod/output.js';
import { safeText } from './safe-text.js';
import { clockTime, colorFor, paint, type TerminalStyle } from './terminal.js';

export const ORCHESTRATOR_PREFIX = 'orchestrator';

/**
 * Prints pod lines as `worker-1  | line` (stderr as `worker-1  ! line`), names padded to one
 * column, one color per task. Lines of one event-loop turn are written with a single write().
 * Pod text and the orchestrator's messages (which may quote pod text) pass through `safeText`: a
 * pod's colours survive only when its task has `colors = true` and this output shows colours.
 */
export class TerminalPrinter implements OutputSink {
  private width: number;
  private readonly taskColors = new Map<string, number>();
  private pending: string[] = [];
  private scheduled = false;

  constructor(
    private readonly out: { write(chunk: string): unknown },
    private readonly style: TerminalStyle,
    podNames: readonly string[],
    private readonly now: () => number = Date.now,
    /** The task's current `colors` setting (live on reload). */
    private readonly colorsOf: (task: string) => boolean = () => false,
  ) {
    this.width = Math.max(ORCHESTRATOR_PREFIX.length, ...podNames.map((n) => n.length));
  }

  /** Widens the name column for pods that appear later (scale up, reload). */
  fit(name: string): void {
    if (name.length > this.width) this.width = name.length;
  }

  line(pod: string, task: string, stream: 'stdout' | 'stderr', line: string): void {
    const color = this.colorOf(task);
    const marker = stream === 'stderr' ? paint(this.style, 31, '!') : paint(this.style, color, '|');
    this.push(`${this.stamp()}${paint(this.style, color, pod.padEnd(this.width))} ${marker} ${safeText(line, { sgr: this.style.color && this.colorsOf(task) })}`);
  }

  /** A message from the orchestrator itself, one prefixed line per line of `text`; `level` colors it. */
  system(text: string, level: 'info' | 'warn' | 'error' | 'debug' = 'info'): void {
    const code = level === 'error' ? 31 : level === 'warn' ? 33 : level === 'debug' ? 90 : 1;
    for (const line of text.split('\n')) {
      const safe = safeText(line);
      const body = level === 'info' ? safe : paint(this.style, code, safe);
      this.push(`${this.stamp()}${paint(this.style, 1, ORCHESTRATOR_PREFIX.padEnd(this.width))} ${paint(this.style, 90, '|')} ${body}`);
    }
  }

  /** Writes whatever is buffered now (before exiting). */
  flush(): void {
    if (this.pending.length === 0) return;
    const text = this.pending.join('\n') + '\n';
    this.pending = [];
    this.out.write(text);
  }

  private push(text: string): void {
    this.pending.push(text);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private stamp(): string {
    return this.style.timestamps ? `${paint(this.style, 90, clockTime(this.now()))} ` : '';
  }

  private colorOf(task: string): number {
    let color = this.taskColors.get(task);
    if (color === undefined) {
      color = colorFor(this.taskColors.size);
      this.taskColors.set(task, color);
    }
    return color;
  }
}
