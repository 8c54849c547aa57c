import type { Bus } from './bus.js';
import type { Pod } from '../pod/pod.js';
import { topicProblem } from '../protocol/index.js';
import type { Logger } from '../util/logger.js';

export interface SystemCommandDeps {
  readonly bus: Pick<Bus, 'subscribePod' | 'unsubscribePod' | 'answerLatest'>;
  readonly logger: Logger;
  /** The pod printed `"system.ready": …` (readiness by signal). */
  onReady(pod: Pod): void;
}

/**
 * `system.*` lines a pod prints: commands to the orchestrator, never published.
 * Unknown commands are warned about so a typo does not pass silently.
 */
export function handleSystemCommand(pod: Pod, topic: string, data: string, deps: SystemCommandDeps): void {
  const log = deps.logger.child({ pod: pod.name });
  switch (topic) {
    case 'system.subscribe':
    case 'system.unsubscribe': {
      const pattern = data.trim();
      try {
        if (topic === 'system.subscribe') deps.bus.subscribePod(pod.name, pattern);
        else deps.bus.unsubscribePod(pod.name, pattern);
        log.debug({ pattern }, `${pod.name} ${topic === 'system.subscribe' ? 'subscribed to' : 'unsubscribed from'} ${pattern}`);
      } catch (error) {
        log.warn({ err: error }, `${pod.name}: ${topic} "${pattern}" ignored: ${(error as Error).message}`);
      }
      return;
    }
    case 'system.ready':
      deps.onReady(pod);
      return;
    case 'system.latest': {
      const wanted = data.trim();
      const problem = topicProblem(wanted);
      if (problem !== null) log.warn({ topic: wanted }, `${pod.name}: system.latest "${wanted}" ignored: ${problem}`);
      else if (!deps.bus.answerLatest(pod.name, wanted)) log.warn({ topic: wanted }, `${pod.name}: system.latest "${wanted}" ignored: the pod is not ready yet (it can ask once it receives messages)`);
      return;
    }
    default:
      log.warn({ topic }, `${pod.name}: unknown system command "${topic}" ignored (known: system.subscribe, system.unsubscribe, system.ready, system.latest)`);
  }
}
