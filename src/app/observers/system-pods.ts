import { podEventJson } from '../../observe/lifecycle-log.js';
import type { PodObserver, PodObserverDeps } from '../pod-observers.js';

/** Every transition on the `system.pods` topic, built only when someone subscribes to it. */
export function systemPods(deps: Pick<PodObserverDeps, 'bus' | 'clock' | 'instance'>): PodObserver {
  return {
    state: (pod, previous) => {
      if (deps.bus.hasSubscribers('system.pods')) deps.bus.publish('system.pods', podEventJson(pod, previous, deps.clock.now(), deps.instance), null);
    },
  };
}
