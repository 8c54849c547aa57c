// The protocol's public surface, listed by hand: everything else in this folder is internal.
export type { Message, ReplyAddress, StdoutEvent } from './types.js';
export type { ChunkSink, LineSplitterOptions } from './line-splitter.js';
export type { StdoutParserOptions } from './stdout-parser.js';
export type { FrameEncoder, StdinFormat } from './encode.js';
export type { FrameDecoderOptions, FrameDecoderSink, IncomingMessage } from './frame-decoder.js';
export { createLineSplitter } from './line-splitter.js';
export { createStdoutParser } from './stdout-parser.js';
export { countDataLines, encodeDelivery, encodeLatest, payloadProblem, formatPublish, frameEncoder, quoteTopic } from './encode.js';
export { createFrameDecoder } from './frame-decoder.js';
export { isReservedTopic, isValidTopic, patternProblem, topicProblem, validateTopic } from './topic.js';
export { FrameDecodeError, InvalidTopicError, UnencodableDataError } from './errors.js';
