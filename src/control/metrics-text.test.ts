import { describe, expect, it } from 'vitest';
import { escapeLabel, formatValue, renderMetrics } from './metrics-text.js';

describe('renderMetrics', () => {
  it('writes HELP, TYPE and samples exactly, in order, ending with a newline', () => {
    const text = renderMetrics([
      { name: 'orchestrator_up', help: 'Up.', type: 'gauge', samples: [{ value: 1 }] },
      { name: 'orchestrator_x_total', help: 'Line one\nand a back\\slash.', type: 'counter', samples: [{ labels: { task: 'a"b\\c\nd', pod: 'p-0' }, value: 2.5 }] },
      { name: 'orchestrator_empty', help: 'No samples.', type: 'gauge', samples: [] },
      { name: 'orchestrator_h_seconds', help: 'H.', type: 'histogram', samples: [{ suffix: '_bucket', labels: { le: '+Inf' }, value: 3 }, { suffix: '_sum', value: 0.25 }, { suffix: '_count', value: 3 }] },
    ]);
    expect(text).toBe(
      [
        '# HELP orchestrator_up Up.',
        '# TYPE orchestrator_up gauge',
        'orchestrator_up 1',
        '# HELP orchestrator_x_total Line one\\nand a back\\\\slash.',
        '# TYPE orchestrator_x_total counter',
        'orchestrator_x_total{task="a\\"b\\\\c\\nd",pod="p-0"} 2.5',
        '# HELP orchestrator_empty No samples.',
        '# TYPE orchestrator_empty gauge',
        '# HELP orchestrator_h_seconds H.',
        '# TYPE orchestrator_h_seconds histogram',
        'orchestrator_h_seconds_bucket{le="+Inf"} 3',
        'orchestrator_h_seconds_sum 0.25',
        'orchestrator_h_seconds_count 3',
        '',
      ].join('\n'),
    );
  });

  it('escapes label values and formats special numbers the way Prometheus parses them', () => {
    expect(escapeLabel('plain')).toBe('plain');
    expect(escapeLabel('"\\\n')).toBe('\\"\\\\\\n');
    expect([formatValue(Infinity), formatValue(-Infinity), formatValue(Number.NaN), formatValue(1e-7), formatValue(42)]).toEqual(['+Inf', '-Inf', 'NaN', '1e-7', '42']);
  });
});
