export { TopicBroker, type TaskSubscribers, type SubscriberRoute, type TopicBrokerOptions } from './topic-broker.js';
export { RetainedStore, DEFAULT_RETAINED_LIMITS, type RetainedLimits } from '../memory/retained-store.js';
export {
  compilePattern,
  matchCompiled,
  matchTopic,
  patternProblem,
  type CompiledPattern,
} from './topic-pattern.js';
export { InvalidTopicPatternError } from './errors.js';
