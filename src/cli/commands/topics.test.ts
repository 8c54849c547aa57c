import { describe, expect, it } from 'vitest';
import type { TopicInfo } from '../../control/api-types.js';
import { filterTopics, topicsTable } from './topics.js';

const NOW = 1_000_000;

const topic = (name: string, over: Partial<TopicInfo> = {}): TopicInfo => ({
  topic: name,
  publishers: {},
  subscribers: [],
  published: 0,
  lastAt: null,
  latest: null,
  ...over,
});

describe('filterTopics', () => {
  const topics = [topic('jobs'), topic('jobs.result'), topic('jobs.a.dead'), topic('other')];

  it('keeps the topics a subscription pattern would match, in order', () => {
    expect(filterTopics(topics, 'jobs.>').map((t) => t.topic)).toEqual(['jobs.result', 'jobs.a.dead']);
    expect(filterTopics(topics, 'jobs.*').map((t) => t.topic)).toEqual(['jobs.result']);
    expect(filterTopics(topics, 'other').map((t) => t.topic)).toEqual(['other']);
    expect(filterTopics(topics, undefined)).toHaveLength(4);
  });
});

describe('topicsTable', () => {
  it('one row per topic: publishers with counts, task subscribers with their mode, pods with (pod), age, latest data', () => {
    const out = topicsTable(
      {
        topics: [
          topic('jobs', {
            publishers: { '': 2, web: 1 },
            subscribers: [
              { task: 'worker', mode: 'round_robin', pattern: 'jobs' },
              { task: 'audit', mode: 'broadcast', pattern: '>' },
              { task: 'web', mode: 'pod', pattern: 'jobs', pod: 'web-0' },
            ],
            published: 3,
            lastAt: NOW - 65_000,
            latest: { data: 'hello', from: 'web-0', at: NOW - 65_000, truncated: false },
          }),
          topic('quiet'),
        ],
        evicted: 0,
      },
      NOW,
      200,
    );
    expect(out.split('\n')).toEqual([
      'TOPIC   PUBLISHED   PUBLISHERS                SUBSCRIBERS                                            LAST   LATEST',
      'jobs    3           <orchestrator> 2, web 1   worker (round_robin), audit (broadcast), web-0 (pod)   1m5s   hello',
      'quiet   0           -                         -                                                      -      -',
    ]);
  });

  it('pod bytes never reach the terminal raw, and long data is cut to the width', () => {
    const evil = topic('t', { published: 1, lastAt: NOW, latest: { data: `\u001b]0;pwned\u0007\r\u009bx${'y'.repeat(200)}`, from: null, at: NOW, truncated: false } });
    const out = topicsTable({ topics: [evil], evicted: 0 }, NOW, 100);
    // eslint-disable-next-line no-control-regex
    expect(out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/); // LF only between lines
    // 54 characters of other columns leave 46 of the 100 to the data: 45 and the ellipsis.
    const data = `\\e]0;pwned\\a\\r\\x9bx${'y'.repeat(200)}`.slice(0, 45);
    expect(out.split('\n')[1]).toBe(`t       1           -            -             0s     ${data}…`);
  });

  it('says how many topics were forgotten', () => {
    expect(topicsTable({ topics: [], evicted: 1 }, NOW, 80).split('\n')).toEqual(['TOPIC   PUBLISHED   PUBLISHERS   SUBSCRIBERS   LAST   LATEST', '1 older topic was forgotten (only the 1000 most recently published are kept)']);
    expect(topicsTable({ topics: [], evicted: 7 }, NOW, 80)).toMatch(/\n7 older topics were forgotten/);
  });
});
