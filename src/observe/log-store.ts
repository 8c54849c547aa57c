import { RingBuffer } from './ring-buffer.js';

/** One output line of a pod, as kept for `orchestrator logs`. */
export interface LogLine {
  /** Global arrival order: lines of several pods interleave by `seq`. */
  readonly seq: number;
  /** Epoch milliseconds when the orchestrator read the line. */
  readonly at: number;
  readonly pod: string;
  readonly task: string;
  readonly stream: 'stdout' | 'stderr';
  readonly line: string;
}

export interface LogQuery {
  /** Task or pod names; empty = every pod. Pods that are gone are included only by name. */
  readonly targets: readonly string[];
  /** Newest lines kept per pod (null = all buffered). */
  readonly tail: number | null;
  /** Only lines read at or after this epoch-ms time. */
  readonly since: number | null;
  /** The run before the current one of each pod (a restarted pod's crash output). */
  readonly previous: boolean;
}

interface PodLogs {
  readonly task: string;
  current: RingBuffer<LogLine>;
  previous: RingBuffer<LogLine> | null;
  /** Set once the pod is gone; gone pods are forgotten oldest first past MAX_GONE. */
  goneAt: number | null;
}

/** Logs of pods that are gone are kept for this many pods (newest). */
const MAX_GONE = 50;

/**
 * In-memory output of every pod: a ring buffer per pod run (the current and the previous one),
 * sized by the task's `log_buffer`. Followers get every new line as it is recorded.
 */
export class PodLogStore {
  private readonly pods = new Map<string, PodLogs>();
  private readonly followers = new Set<(line: LogLine) => void>();
  private seq = 0;

  constructor(private readonly now: () => number) {}

  /** A new process of `pod` starts: what it printed so far becomes its `previous` run. */
  newRun(pod: string, task: string, capacity: number): void {
    const logs = this.pods.get(pod);
    if (logs === undefined || logs.task !== task) {
      this.pods.set(pod, { task, current: new RingBuffer(capacity), previous: null, goneAt: null });
      return;
    }
    logs.goneAt = null;
    if (logs.current.size > 0) {
      logs.previous = logs.current;
      logs.current = new RingBuffer(capacity);
    }
  }

  record(pod: string, task: string, stream: 'stdout' | 'stderr', text: string): void {
    let logs = this.pods.get(pod);
    if (logs === undefined) {
      logs = { task, current: new RingBuffer(1000), previous: null, goneAt: null };
      this.pods.set(pod, logs);
    }
    const line: LogLine = { seq: ++this.seq, at: this.now(), pod, task, stream, line: text };
    logs.current.push(line);
    for (const follower of this.followers) follower(line);
  }

  /** The pod left for good (scaled down, replaced, task removed); its logs stay readable a while. */
  forget(pod: string): void {
    const logs = this.pods.get(pod);
    if (logs === undefined) return;
    logs.goneAt = this.now();
    const gone = [...this.pods].filter(([, l]) => l.goneAt !== null).sort((a, b) => (a[1].goneAt ?? 0) - (b[1].goneAt ?? 0));
    for (const [name] of gone.slice(0, Math.max(0, gone.length - MAX_GONE))) this.pods.delete(name);
  }

  resize(task: string, capacity: number): void {
    for (const logs of this.pods.values()) if (logs.task === task) logs.current.resize(capacity);
  }

  /** Pod and task names with buffered logs, to tell "no lines yet" from "no such pod". */
  knows(target: string): boolean {
    for (const [name, logs] of this.pods) if (name === target || logs.task === target) return true;
    return false;
  }

  /** Matching lines of every selected pod, merged in arrival order. */
  query(q: LogQuery): LogLine[] {
    const lines: LogLine[] = [];
    for (const [name, logs] of this.pods) {
      if (!selects(q.targets, name, logs.task)) continue;
      // Like kubectl: a pod that is gone shows up only when asked for by name.
      if (logs.goneAt !== null && !q.targets.includes(name)) continue;
      const buffer = q.previous ? logs.previous : logs.current;
      if (buffer === null) continue;
      let own = buffer.toArray();
      if (q.since !== null) own = own.filter((l) => l.at >= (q.since ?? 0));
      if (q.tail !== null) own = q.tail === 0 ? [] : own.slice(-q.tail);
      lines.push(...own);
    }
    return lines.sort((a, b) => a.seq - b.seq);
  }

  /** Calls `listener` with every new line of the selected pods until the returned function is called. */
  follow(targets: readonly string[], listener: (line: LogLine) => void): () => void {
    const follower = (line: LogLine): void => {
      if (selects(targets, line.pod, line.task)) listener(line);
    };
    this.followers.add(follower);
    return () => this.followers.delete(follower);
  }
}

function selects(targets: readonly string[], pod: string, task: string): boolean {
  return targets.length === 0 || targets.includes(pod) || targets.includes(task);
}
