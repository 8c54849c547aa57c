export { TopicBroker, type PodSubscription, type TaskSubscribers, type SubscriberRoute, type TopicBrokerOptions } from './topic-broker.js';
export { LatestAnswer, newEntry, Parcel } from './parcel.js';
export { Transit, type PlainFormat } from './transit.js';
export {
  compilePattern,
  matchCompiled,
  matchTopic,
  patternProblem,
  type CompiledPattern,
} from './topic-pattern.js';
export { InvalidTopicPatternError } from './errors.js';
