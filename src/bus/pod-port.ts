import type { Bus } from './bus.js';
import type { Pod, PodRunIO } from '../pod/pod.js';
import { createLineSplitter, createStdoutParser, isReservedTopic } from '../protocol/index.js';
import type { StdoutEvent } from '../protocol/types.js';
import type { Logger } from '../util/logger.js';
import type { OutputSink } from '../pod/output.js';

export interface PodIODeps {
  readonly bus: Bus;
  /** Receives every log line; whether it reaches the terminal is the sink's decision. */
  readonly output: OutputSink;
  readonly logger: Logger;
  /** Handles `system.*` commands from a pod (subscribe, unsubscribe, ready …). */
  system(pod: Pod, topic: string, data: string): void;
}

/**
 * Connects one run of a pod to the bus: stdout is parsed into messages and log lines, stderr into
 * log lines; messages are published (what a full "block" queue refuses waits in a
 * PublisherInlet, the pod's output paused meanwhile), log lines go to the output sink and are published on `<task>.stdout` / `<task>.stderr` when
 * anyone listens.
 */
export function openPodIO(pod: Pod, deps: PodIODeps): PodRunIO {
  const { bus, output, logger } = deps;
  const task = pod.spec.name;
  const stdoutTopic = pod.spec.stdoutTopic;
  const stderrTopic = pod.spec.stderrTopic;
  const log = logger.child({ pod: pod.name });
  // Holds back what a full "block" queue refuses, pausing the pod's output meanwhile.
  const inlet = bus.publisher(pod.name, { pause: () => pod.pauseOutput(), resume: () => pod.resumeOutput() }, { receiveReplies: pod.spec.receiveReplies });
  const publish = (topic: string, data: string): void => inlet.publish(topic, data);

  // Every message; plain ones (the common case) come straight from the parser as two arguments,
  // with no event object per message, JSON message lines through onStdout with their ids.
  const onMessage = (topic: string, data: string, inReplyTo: string | null = null, ref: string | null = null): void => {
    if (isReservedTopic(topic)) deps.system(pod, topic, data);
    else inlet.publish(topic, data, inReplyTo, ref);
  };

  const onStdout = (event: StdoutEvent): void => {
    switch (event.type) {
      case 'log':
        output.line(pod.name, task, 'stdout', event.line);
        if (bus.hasSubscribers(stdoutTopic)) publish(stdoutTopic, event.line);
        return;
      case 'message':
        onMessage(event.topic, event.data, event.inReplyTo ?? null, event.ref ?? null);
        return;
      case 'oversize':
        log.error(
          { bytes: event.bytes, topic: event.topic, limit: pod.spec.maxMessageSize },
          `${pod.name}: ${event.topic === null ? 'output line' : `message on "${event.topic}"`} of ${event.bytes} bytes exceeds max_message_size (${pod.spec.maxMessageSize}); discarded`,
        );
        return;
      case 'invalid':
        // Looked like a message but the topic is unusable: keep the line visible, say why once.
        log.warn({ topic: event.topic, reason: event.reason }, `${pod.name}: not published: topic "${event.topic}" ${event.reason}`);
        onStdout({ type: 'log', line: event.line });
        return;
    }
  };

  const stdout = createStdoutParser({ maxMessageSize: pod.spec.maxMessageSize, jsonMessages: pod.spec.stdin === 'json' }, onStdout, onMessage);
  const stderr = createLineSplitter(
    { maxLineBytes: pod.spec.maxMessageSize },
    (line) => {
      output.line(pod.name, task, 'stderr', line);
      if (bus.hasSubscribers(stderrTopic)) publish(stderrTopic, line);
    },
    (bytes) => log.error({ bytes }, `${pod.name}: stderr line of ${bytes} bytes exceeds max_message_size; discarded`),
  );

  return {
    stdout: (chunk) => stdout.push(chunk),
    stderr: (chunk) => stderr.push(chunk),
    stdinDrained: () => bus.podWritable(pod.name),
    close: () => {
      stdout.end();
      stderr.end();
      inlet.close();
    },
  };
}
