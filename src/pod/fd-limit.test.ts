import { describe, expect, it } from 'vitest';
import { fdLimitWarning, parseOpenFileLimit } from './fd-limit.js';

const LIMITS = `Limit                     Soft Limit           Hard Limit           Units
Max cpu time              unlimited            unlimited            seconds
Max open files            120                  4096                 files
Max locked memory         8388608              8388608              bytes
`;

describe('parseOpenFileLimit', () => {
  it('reads soft and hard from /proc/PID/limits', () => {
    expect(parseOpenFileLimit(LIMITS)).toEqual({ soft: 120, hard: 4096 });
  });

  it('is null without the line', () => {
    expect(parseOpenFileLimit('Limit Soft Limit Hard Limit Units\n')).toBeNull();
  });
});

describe('fdLimitWarning', () => {
  it('says nothing while the estimate stays under 80% of the limit', () => {
    // 20 + 3·20 + 5 = 85 ≤ 96
    expect(fdLimitWarning(20, { open: 20, soft: 120, hard: 120 })).toBeNull();
  });

  it('names replicas × fds per pod and the limit once close to it', () => {
    expect(fdLimitWarning(25, { open: 20, soft: 120, hard: 120 })).toBe(
      '25 replicas × 3 file descriptors per pod + 20 open now = 100, against an open-file limit of 120: little is left for probes and API clients. Raise the limit before starting (ulimit -n, or LimitNOFILE= in a systemd unit)',
    );
  });

  it('says pods will fail to start when the estimate exceeds the limit', () => {
    expect(fdLimitWarning(40, { open: 22, soft: 120, hard: 120 })).toBe(
      '40 replicas × 3 file descriptors per pod + 22 open now = 147, against an open-file limit of 120: some pods will fail to start with "too many open files". Raise the limit before starting (ulimit -n, or LimitNOFILE= in a systemd unit)',
    );
  });
});
