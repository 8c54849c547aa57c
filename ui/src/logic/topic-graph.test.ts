import { describe, expect, it } from 'vitest';
import type { TopicInfo } from '../api/types.js';
import { edgeWidth, layoutTopicGraph, publishCounts } from './topic-graph.js';

const topic = (name: string, publishers: Record<string, number>, subscribers: string[]): TopicInfo => ({
  topic: name,
  publishers,
  subscribers: subscribers.map((task) => ({ task, mode: 'broadcast', pattern: name })),
  published: Object.values(publishers).reduce((a, b) => a + b, 0),
  lastAt: null,
  latest: null,
});

describe('layoutTopicGraph', () => {
  const topics = [topic('jobs', { producer: 10 }, ['worker']), topic('jobs.result', { worker: 8, '': 1 }, ['logger'])];

  it('puts publishers, topics and subscribers in three columns with one edge per link', () => {
    const g = layoutTopicGraph(topics, null, 0);
    expect(g.nodes.map((n) => [n.id, n.column])).toEqual([
      ['pub:', 0],
      ['pub:producer', 0],
      ['pub:worker', 0],
      ['topic:jobs', 1],
      ['topic:jobs.result', 1],
      ['sub:logger', 2],
      ['sub:worker', 2],
    ]);
    expect(g.nodes.find((n) => n.id === 'pub:')?.label).toBe('(api)');
    expect(g.edges.map((e) => `${e.from}>${e.to}`)).toEqual(['pub:producer>topic:jobs', 'topic:jobs>sub:worker', 'pub:worker>topic:jobs.result', 'pub:>topic:jobs.result', 'topic:jobs.result>sub:logger']);
    expect(g.edges.every((e) => e.rate === null && e.width === 1.5)).toBe(true);
  });

  it('rates come from two samples; a busier edge is wider', () => {
    const before = { counts: publishCounts([topic('jobs', { producer: 0 }, ['worker']), topic('jobs.result', { worker: 8, '': 1 }, ['logger'])]), at: 0 };
    const g = layoutTopicGraph(topics, before, 2000);
    const jobs = g.edges.find((e) => e.from === 'pub:producer');
    const results = g.edges.find((e) => e.from === 'pub:worker');
    expect(jobs?.rate).toBe(5);
    expect(results?.rate).toBe(0);
    expect(g.edges.find((e) => e.to === 'sub:worker')?.rate).toBe(5);
    expect(jobs!.width).toBeGreaterThan(results!.width);
    expect(edgeWidth(1e9)).toBe(12);
  });

  it("a pod's own subscription links the topic to its task, labelled with the pod", () => {
    const news: TopicInfo = { ...topic('news.x', { '': 1 }, []), subscribers: [{ task: 'reader', mode: 'pod', pattern: 'news.*', pod: 'reader-1' }] };
    const g = layoutTopicGraph([news], null, 0);
    expect(g.edges.map((e) => [e.from, e.to, e.label])).toEqual([
      ['pub:', 'topic:news.x', '(api) → news.x: 1 published'],
      ['topic:news.x', 'sub:reader', 'news.x → reader (pod reader-1, news.*)'],
    ]);
  });
});
