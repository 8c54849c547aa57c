/**
 * The wire rows the dashboard reads. Type-only imports from the control API's contract, so a change
 * there fails `npm run typecheck` here; esbuild drops them, so no orchestrator code is bundled.
 */
import type {
  DeadLetterInfo,
  KillResult,
  LogLine,
  PodInfo,
  RecordedEvent,
  StatusInfo,
  TaskInfo,
  TopicInfo,
  WatchLine,
} from '../../../src/control/api-types.js';

export type { KillResult, LogLine, RecordedEvent, StatusInfo, TaskInfo, TopicInfo, WatchLine };
export type PodRow = PodInfo;
export type DeadLetter = DeadLetterInfo;
