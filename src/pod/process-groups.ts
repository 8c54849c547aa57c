import { groupAlive, signalGroup } from './process-group.js';

/** Signalling and probing whole process groups: injected into Pod so tests record signals instead of sending them. */
export interface ProcessGroups {
  /** Sends `signal` to every process of the group led by `pgid`; false when the group is gone. */
  signal(pgid: number, signal: NodeJS.Signals): boolean;
  /** True while any non-zombie process of the group runs. */
  alive(pgid: number): boolean;
}

/** The real groups of this machine (kill(2) and /proc). */
export const osProcessGroups: ProcessGroups = {
  signal: signalGroup,
  alive: groupAlive,
};
