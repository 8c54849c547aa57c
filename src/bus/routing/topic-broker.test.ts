import { describe, expect, it } from 'vitest';
import { InvalidTopicPatternError } from './errors.js';
import { TopicBroker } from './topic-broker.js';

describe('TopicBroker', () => {
  it('groups task-level and pod-level subscribers by task', () => {
    const broker = new TopicBroker();
    broker.setTaskSubscriptions('worker', ['jobs']);
    broker.setTaskSubscriptions('logger', ['>']);
    broker.subscribePod('viewer-1', 'viewer', 'jobs.*');
    broker.subscribePod('viewer-2', 'viewer', 'jobs');
    broker.subscribePod('worker-1', 'worker', 'jobs');
    expect(broker.subscribersByTask('jobs')).toEqual([
      { task: 'worker', taskLevel: true, pods: ['worker-1'] },
      { task: 'logger', taskLevel: true, pods: [] },
      { task: 'viewer', taskLevel: false, pods: ['viewer-2'] },
    ]);
    expect(broker.subscribersByTask('jobs.a')).toEqual([
      { task: 'logger', taskLevel: true, pods: [] },
      { task: 'viewer', taskLevel: false, pods: ['viewer-1'] },
    ]);
  });

  it('caches routes and invalidates them on every kind of change', () => {
    const broker = new TopicBroker();
    expect(broker.hasSubscribers('jobs')).toBe(false);
    broker.setTaskSubscriptions('w', ['jobs']);
    expect(broker.hasSubscribers('jobs')).toBe(true);
    const first = broker.subscribersByTask('jobs');
    expect(broker.subscribersByTask('jobs')).toBe(first); // cached: same array
    broker.removeTask('w');
    expect(broker.hasSubscribers('jobs')).toBe(false);
    expect(broker.subscribePod('p1', 'w', 'jobs')).toBe(true);
    expect(broker.subscribePod('p1', 'w', 'jobs')).toBe(false);
    expect(broker.hasSubscribers('jobs')).toBe(true);
    expect(broker.unsubscribePod('p1', 'jobs')).toBe(true);
    expect(broker.unsubscribePod('p1', 'jobs')).toBe(false);
    expect(broker.hasSubscribers('jobs')).toBe(false);
    broker.subscribePod('p1', 'w', 'jobs');
    broker.subscribePod('p1', 'w', 'other');
    expect(broker.podSubscriptions('p1')).toEqual(['jobs', 'other']);
    broker.removePod('p1');
    expect(broker.hasSubscribers('jobs')).toBe(false);
    expect(broker.podSubscriptions('p1')).toEqual([]);
  });

  it('keeps the route cache bounded', () => {
    const broker = new TopicBroker({ maxCachedRoutes: 3 });
    broker.setTaskSubscriptions('w', ['t.*']);
    for (let i = 0; i < 100; i++) expect(broker.hasSubscribers(`t.${i}`)).toBe(true);
    expect(broker.hasSubscribers('u')).toBe(false);
  });

  it('validates all patterns before changing anything', () => {
    const broker = new TopicBroker();
    broker.setTaskSubscriptions('w', ['jobs']);
    expect(() => broker.setTaskSubscriptions('w', ['ok', 'a..b'])).toThrow(InvalidTopicPatternError);
    expect(broker.taskSubscriptions('w')).toEqual(['jobs']);
    expect(() => broker.subscribePod('p', 'w', '')).toThrow(InvalidTopicPatternError);
  });
});
