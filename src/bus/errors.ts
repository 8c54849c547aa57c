// The errors bus operations throw, for callers outside src/bus/ (they may not import its internals).
export { InvalidTopicPatternError } from './routing/errors.js';
export { UnknownPodError, UnknownTaskError } from './dispatcher/errors.js';
