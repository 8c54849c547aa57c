/**
 * How long a pod may leave its stdin full, while messages wait for it, before it counts as
 * stalled and a warning is logged. Shorter when the task's `stall_timeout` is shorter.
 */
export const STALL_WARN_MS = 5000;

/** How often the runtime samples the dispatcher for stalls. */
export const STALL_CHECK_INTERVAL_MS = 1000;

/** One pod as the dispatcher sees it at one instant. */
export interface StallSample {
  readonly pod: string;
  readonly task: string;
  /** Its stdin is full: the last write reported backpressure and it has not drained since. */
  readonly blocked: boolean;
  /** Copies written to it so far: unchanged between two samples = it took nothing in between. */
  readonly delivered: number;
  /** Messages waiting for it: its task's queue plus its own (pod-level) queue. */
  readonly queued: number;
  /** A stall is reported once it lasts this long. */
  readonly warnAfterMs: number;
}

/**
 * What changed since the previous sample: a stall that reached its threshold (`forMs` = how long
 * it has lasted), its end (the pod read again, or it is gone or has nothing waiting).
 */
export type StallChange =
  | { readonly type: 'stalled'; readonly pod: string; readonly task: string; readonly forMs: number; readonly queued: number }
  | { readonly type: 'recovered'; readonly pod: string; readonly task: string; readonly forMs: number; readonly queued: number }
  | { readonly type: 'gone'; readonly pod: string; readonly task: string; readonly forMs: number };

interface Episode {
  readonly task: string;
  readonly since: number;
  readonly delivered: number;
  reported: boolean;
}

/**
 * Finds pods that hold their task's queue back by not reading their stdin: blocked, with
 * messages waiting, and nothing written to them, across samples spanning `warnAfterMs`. Fed
 * with periodic snapshots (no per-message cost); pure apart from its own episode table.
 * Each stall episode is reported once when it starts counting and once when it ends.
 */
export class StallDetector {
  private readonly episodes = new Map<string, Episode>();

  /** Compares `samples` (every pod there is now) with the previous call. */
  observe(now: number, samples: readonly StallSample[]): StallChange[] {
    const changes: StallChange[] = [];
    const seen = new Set<string>();
    for (const s of samples) {
      seen.add(s.pod);
      const episode = this.episodes.get(s.pod);
      const holding = s.blocked && s.queued > 0;
      if (episode !== undefined && holding && episode.delivered === s.delivered) {
        const forMs = now - episode.since;
        if (!episode.reported && forMs >= s.warnAfterMs) {
          episode.reported = true;
          changes.push({ type: 'stalled', pod: s.pod, task: s.task, forMs, queued: s.queued });
        }
        continue;
      }
      // Not holding, or it took something since: any episode ends; a new one may begin.
      if (episode?.reported === true) changes.push({ type: 'recovered', pod: s.pod, task: s.task, forMs: now - episode.since, queued: s.queued });
      if (holding) this.episodes.set(s.pod, { task: s.task, since: now, delivered: s.delivered, reported: false });
      else this.episodes.delete(s.pod);
    }
    for (const [pod, episode] of this.episodes) {
      if (seen.has(pod)) continue;
      this.episodes.delete(pod);
      if (episode.reported) changes.push({ type: 'gone', pod, task: episode.task, forMs: now - episode.since });
    }
    return changes;
  }

  /** The pod exited or was stopped (a restart keeps its name): its episode ends as `gone`. */
  forget(pod: string, now: number): StallChange | null {
    const episode = this.episodes.get(pod);
    if (episode === undefined) return null;
    this.episodes.delete(pod);
    return episode.reported ? { type: 'gone', pod, task: episode.task, forMs: now - episode.since } : null;
  }

  /** When the pod's reported stall began (epoch ms), null when it is not stalled. */
  stalledSince(pod: string): number | null {
    const episode = this.episodes.get(pod);
    return episode?.reported === true ? episode.since : null;
  }

  /** Stalled pods of the task. */
  stalledCount(task: string): number {
    let n = 0;
    for (const episode of this.episodes.values()) if (episode.reported && episode.task === task) n++;
    return n;
  }
}
