import { expect, test } from 'vitest';
import { formatElapsed } from './format.js';
import { formatSummaryTable, type SummaryRow } from './summary-table.js';

const row = (overrides: Partial<SummaryRow> & Pick<SummaryRow, 'task'>): SummaryRow => ({
  status: 'succeeded',
  replicas: 1,
  succeeded: 1,
  failed: 0,
  restarts: 0,
  delivered: 0,
  acked: 0,
  deadLettered: 0,
  dropped: 0,
  durationMs: 1000,
  ...overrides,
});

test('aligned plain text: text columns left, numbers right, no trailing spaces', () => {
  const table = formatSummaryTable([
    row({ task: 'api', status: 'stopped', succeeded: null, failed: null, durationMs: 83_000 }),
    row({ task: 'migrate', durationMs: 1234 }),
    row({ task: 'worker', status: 'stopped', replicas: 4, succeeded: null, failed: null, restarts: 1, delivered: 500, acked: 499, deadLettered: 1, dropped: 12_345, durationMs: 12_000 }),
    row({ task: 'producer', status: 'failed', succeeded: 0, failed: 1, restarts: 6, durationMs: 950 }),
    row({ task: 'deploy', status: 'skipped', succeeded: 0, failed: 0, durationMs: null }),
  ]);
  expect(table.split('\n')).toEqual([
    'TASK      STATUS     REPLICAS  SUCCEEDED  FAILED  RESTARTS  DELIVERED  ACKED  DEAD  DROPPED  DURATION',
    'api       stopped           1          -       -         0          0      0     0        0     1m23s',
    'migrate   succeeded         1          1       0         0          0      0     0        0      1.2s',
    'worker    stopped           4          -       -         1        500    499     1    12345     12.0s',
    'producer  failed            1          0       1         6          0      0     0        0     950ms',
    'deploy    skipped           1          0       0         0          0      0     0        0         -',
  ]);
  expect(table.includes('\u001b')).toBe(false);
  expect(table).not.toMatch(/[ \t]$/m);
});

test('no rows: just the header', () => {
  expect(formatSummaryTable([])).toBe('TASK  STATUS  REPLICAS  SUCCEEDED  FAILED  RESTARTS  DELIVERED  ACKED  DEAD  DROPPED  DURATION');
});

test('formatElapsed rounds for reading', () => {
  expect([0, 999, 1000, 1999, 59_999, 60_000, 65_000, 3_599_999, 3_600_000, 7_380_000, -1].map(formatElapsed)).toEqual([
    '0ms',
    '999ms',
    '1.0s',
    '1.9s',
    '59.9s',
    '1m00s',
    '1m05s',
    '59m59s',
    '1h00m',
    '2h03m',
    '-',
  ]);
});
