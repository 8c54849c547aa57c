export { TopicDispatcher } from './topic-dispatcher.js';
export type { DispatcherDeps } from './deps.js';
export { PublisherInlet, type InletFlow, type InletTarget } from './publisher-inlet.js';
export {
  BroadcastPolicy,
  RoundRobinPolicy,
  createDeliveryPolicy,
  type DeliveryPolicy,
  type PodView,
} from './delivery-policy.js';
export { UnknownTaskError, UnknownPodError } from './errors.js';
export { messageIds } from './message-ids.js';
