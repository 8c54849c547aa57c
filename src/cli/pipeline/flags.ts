import type { Orchestrator } from '../../app/orchestrator.js';
import type { OrchestratorConfig } from '../../config/types.js';
import { isReservedTopic, topicProblem } from '../../protocol/index.js';
import type { Logger } from '../../util/logger.js';
import type { Interruption } from '../run-end.js';
import { UsageError } from '../usage-error.js';
import type { Pipeline, PipelineResult } from './pipeline.js';

/** How `run` wires a pipeline into its lifecycle (see startPipeline). */
export interface PipelineRun {
  readonly orchestrator: Pick<Orchestrator, 'bus' | 'stop' | 'isStopping'>;
  readonly logger: Pick<Logger, 'info' | 'error'>;
  readonly exitOnComplete: boolean;
  interruption(): Interruption;
  onNoResponders(): void;
  onFinished(result: PipelineResult): void;
}

/**
 * Starts reading stdin once the pods run, unless no task subscribes to the stdin topic (nothing
 * could ever finish: the run stops, exit 2). When every line read is done: after Ctrl-C the pods
 * stop now (exit 130); with --exit-on-complete the run ends.
 */
export function startPipeline(pipeline: Pipeline, stdinTopic: string, run: PipelineRun): void {
  const { orchestrator, logger } = run;
  if (!orchestrator.bus.hasResponders(stdinTopic)) {
    logger.error(`--stdin-topic ${stdinTopic}: no task subscribes to it, so no line would ever be done; add it to a task's subscribe`);
    run.onNoResponders();
    void orchestrator.stop('usage');
    return;
  }
  pipeline.start();
  void pipeline.finished.then((result) => {
    run.onFinished(result);
    logger.info(`pipeline: ${result.read} lines read, ${result.written} results written, ${result.failed} failed`);
    const interruption = run.interruption();
    if (interruption?.type === 'signal') {
      logger.info(`${interruption.signal}: every line read is done; stopping all pods`);
      void orchestrator.stop(interruption.signal);
    } else if (run.exitOnComplete && !orchestrator.isStopping) {
      void orchestrator.stop('complete');
    }
  });
}

/** The pipeline flags, checked together; null without --stdin-topic (not pipeline mode). */
export function pipelineOptions(values: { 'stdin-topic'?: string | undefined; 'stdout-topic'?: string | undefined; 'keep-order'?: boolean | undefined }): { stdinTopic: string; stdoutTopic: string; keepOrder: boolean } | null {
  const stdinTopic = values['stdin-topic'];
  const stdoutTopic = values['stdout-topic'];
  const keepOrder = values['keep-order'] === true;
  if (stdinTopic === undefined && stdoutTopic === undefined) {
    if (keepOrder) throw new UsageError('--keep-order: only with --stdin-topic T --stdout-topic T.result (pipeline mode)');
    return null;
  }
  if (stdinTopic === undefined || stdoutTopic === undefined) throw new UsageError('pipeline mode takes both --stdin-topic T and --stdout-topic R (usually T.result)');
  for (const [flag, topic] of [['--stdin-topic', stdinTopic], ['--stdout-topic', stdoutTopic]] as const) {
    const problem = topicProblem(topic) ?? (isReservedTopic(topic) ? 'system.* topics are reserved for the orchestrator' : null);
    if (problem !== null) throw new UsageError(`${flag}: ${JSON.stringify(topic)} is not a topic: ${problem}`);
  }
  if (keepOrder && stdoutTopic !== `${stdinTopic}.result`) {
    throw new UsageError(`--keep-order matches each result to its line through its reply: give --stdout-topic ${stdinTopic}.result`);
  }
  return { stdinTopic, stdoutTopic, keepOrder };
}

/** Stdin lines are bounded like the messages pods publish: the largest max_message_size of the tasks. */
export function maxLineBytes(config: OrchestratorConfig): number {
  return Math.max(1024 * 1024, ...config.tasks.map((t) => t.maxMessageSize));
}

/** Why a pipeline run failed (a line was dead-lettered or dropped), for the run's last line; null when none did. */
export function pipelineFailure(result: PipelineResult | null): string | null {
  if (result === null || result.failed === 0) return null;
  return `${result.failed} of ${result.read} input line${result.read === 1 ? '' : 's'} got no result (dead-lettered or dropped; each is named above)`;
}
