import type { Pod, PodRunIO } from '../pod/pod.js';
import type { PodLogStore } from '../observe/log-store.js';
import { openPodIO, type PodIODeps } from '../bus/pod-port.js';

export interface CaptureDeps extends PodIODeps {
  readonly logs: PodLogStore;
  /** Whether the task's lines of `stream` go to the terminal now (show_stdout / show_stderr, live on reload). */
  shown(task: string, stream: 'stdout' | 'stderr'): boolean;
  /** Every output line of the pod, shown or not (log-based readiness watches them). */
  line?(pod: Pod, text: string): void;
}

/**
 * Opens one run's IO with `openPodIO` and records every output line in the log store, shown or
 * not (`orchestrator logs` shows lines of tasks with `show_stdout = false` too); only lines of
 * streams currently shown (show_stdout / show_stderr, live on reload) reach the terminal.
 */
export function openCapturedIO(pod: Pod, deps: CaptureDeps): PodRunIO {
  return openPodIO(pod, {
    ...deps,
    output: {
      line: (name, task, stream, line) => {
        deps.logs.record(name, task, stream, line);
        deps.line?.(pod, line);
        if (deps.shown(task, stream)) deps.output.line(name, task, stream, line);
      },
    },
  });
}
