import type { Pod, PodRunIO } from '../pod/pod.js';
import type { PodLogStore } from './log-store.js';
import { openPodIO, type PodIODeps } from './pod-io.js';

export interface CaptureDeps extends PodIODeps {
  readonly logs: PodLogStore;
  /** Whether the task's lines of `stream` go to the terminal now (show_stdout / show_stderr, live on reload). */
  shown(task: string, stream: 'stdout' | 'stderr'): boolean;
  /** Every output line of the pod, shown or not (log-based readiness watches them). */
  line?(pod: Pod, text: string): void;
}

/**
 * Opens one run's IO like `openPodIO`, but records every output line in the log store, including
 * lines of tasks with `show_stdout = false` (`orchestrator logs` shows them anyway).
 *
 * openPodIO only hands shown lines to its sink, so it is given a view of the pod whose spec shows
 * both streams; the terminal filter is applied here instead. Everything else (name, stdout pause,
 * system commands) goes to the real pod.
 */
export function openCapturedIO(pod: Pod, deps: CaptureDeps): PodRunIO {
  const view = Object.create(pod, { spec: { value: { ...pod.spec, showStdout: true, showStderr: true } } }) as Pod;
  return openPodIO(view, {
    ...deps,
    system: (_view, topic, data) => deps.system(pod, topic, data),
    output: {
      line: (name, task, stream, line) => {
        deps.logs.record(name, task, stream, line);
        deps.line?.(pod, line);
        if (deps.shown(task, stream)) deps.output.line(name, task, stream, line);
      },
    },
  });
}
