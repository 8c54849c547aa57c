import { describe, expect, it } from 'vitest';
import { isReservedTopic } from './topic.js';

describe('isReservedTopic', () => {
  it.each(['system.ready', 'system.subscribe', 'system.pods', 'system.x.y', 'system.'])('%s is reserved', (topic) => {
    expect(isReservedTopic(topic)).toBe(true);
  });

  it.each(['system', 'systems.ready', 'System.ready', 'a.system.ready', 'work.system', ''])('%s is not reserved', (topic) => {
    expect(isReservedTopic(topic)).toBe(false);
  });
});
