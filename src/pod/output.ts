/** Where pods' ordinary output lines go (the terminal printer lives in src/cli). */
export interface OutputSink {
  line(pod: string, task: string, stream: 'stdout' | 'stderr', line: string): void;
}
