/**
 * The topics graph as three columns: publishing tasks → topic → subscribing tasks. Pure layout (no
 * library): tens of nodes, placed in rows, edges drawn as curves whose width grows with the rate.
 */
import type { TopicInfo } from '../api/types.js';

export interface GraphNode {
  readonly id: string;
  readonly label: string;
  readonly column: 0 | 1 | 2;
  readonly x: number;
  readonly y: number;
}

export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  /** Messages per second over the last two samples; null before a second sample. */
  readonly rate: number | null;
  readonly width: number;
  readonly label: string;
}

export interface TopicGraph {
  readonly nodes: GraphNode[];
  readonly edges: GraphEdge[];
  readonly width: number;
  readonly height: number;
}

export const GRAPH = { columnX: [90, 330, 570], width: 660, rowHeight: 44, top: 30 } as const;

/** Stroke width from a rate: 1.5 px idle, growing with log2 of the rate, capped at 12 px. */
export function edgeWidth(rate: number | null): number {
  if (rate === null || rate <= 0) return 1.5;
  return Math.min(12, 1.5 + 2 * Math.log2(1 + rate));
}

/** Per-topic-per-publisher counts, so the next sample can give rates. */
export type PublishCounts = ReadonlyMap<string, number>;

export function publishCounts(topics: readonly TopicInfo[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const t of topics) for (const [task, n] of Object.entries(t.publishers)) counts.set(`${task}\u0000${t.topic}`, n);
  return counts;
}

const publisherLabel = (task: string): string => (task === '' ? '(api)' : task);

export function layoutTopicGraph(topics: readonly TopicInfo[], previous: { readonly counts: PublishCounts; readonly at: number } | null, now: number): TopicGraph {
  const sorted = [...topics].sort((a, b) => a.topic.localeCompare(b.topic));
  const publishers = [...new Set(sorted.flatMap((t) => Object.keys(t.publishers)))].sort();
  const subscribers = [...new Set(sorted.flatMap((t) => t.subscribers.map((s) => s.task)))].sort();
  const place = (ids: readonly string[], column: 0 | 1 | 2, label: (id: string) => string, prefix: string): GraphNode[] =>
    ids.map((id, row) => ({ id: `${prefix}:${id}`, label: label(id), column, x: GRAPH.columnX[column], y: GRAPH.top + row * GRAPH.rowHeight }));
  const nodes = [
    ...place(publishers, 0, publisherLabel, 'pub'),
    ...place(sorted.map((t) => t.topic), 1, (id) => id, 'topic'),
    ...place(subscribers, 2, (id) => id, 'sub'),
  ];
  const seconds = previous === null ? 0 : (now - previous.at) / 1000;
  const edges: GraphEdge[] = [];
  for (const t of sorted) {
    let topicRate: number | null = previous === null || seconds <= 0 ? null : 0;
    for (const [task, n] of Object.entries(t.publishers)) {
      const before = previous?.counts.get(`${task}\u0000${t.topic}`);
      const rate = previous === null || seconds <= 0 ? null : Math.max(0, n - (before ?? 0)) / seconds;
      if (rate !== null && topicRate !== null) topicRate += rate;
      edges.push({ from: `pub:${task}`, to: `topic:${t.topic}`, rate, width: edgeWidth(rate), label: `${publisherLabel(task)} → ${t.topic}: ${n} published` });
    }
    for (const s of t.subscribers) {
      edges.push({ from: `topic:${t.topic}`, to: `sub:${s.task}`, rate: topicRate, width: edgeWidth(topicRate), label: `${t.topic} → ${s.task} (${s.pod === undefined ? s.mode : `pod ${s.pod}`}, ${s.pattern})` });
    }
  }
  const rows = Math.max(publishers.length, sorted.length, subscribers.length, 1);
  return { nodes, edges, width: GRAPH.width, height: GRAPH.top * 2 + (rows - 1) * GRAPH.rowHeight };
}
