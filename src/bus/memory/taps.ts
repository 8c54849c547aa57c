import { compilePattern, matchCompiled, type CompiledPattern } from '../routing/index.js';
import type { Message } from '../../protocol/types.js';
import type { TapListener } from '../transport.js';

interface Tap {
  readonly patterns: readonly CompiledPattern[];
  readonly listener: TapListener;
}

/**
 * Observers outside the pod world (the control API's `subscribe`): they see every published
 * message matching their patterns. Taps never take part in delivery: no queue, no ack, nothing is
 * held for them; they only see messages as they are published.
 */
export class Taps {
  private readonly taps = new Set<Tap>();

  /** Taps open now: with none, publishing needs no Message object for them. */
  get size(): number {
    return this.taps.size;
  }

  /** Throws InvalidTopicPatternError for a bad pattern. Returns the function that removes the tap. */
  add(patterns: readonly string[], listener: TapListener): () => void {
    const tap: Tap = { patterns: patterns.map(compilePattern), listener };
    this.taps.add(tap);
    return () => this.taps.delete(tap);
  }

  publish(message: Message): void {
    if (this.taps.size === 0) return;
    for (const tap of this.taps) if (tap.patterns.some((p) => matchCompiled(p, message.topic))) tap.listener(message);
  }

  /** True when a tap wants the topic, so optional streams (`<task>.stdout`, `system.pods`) are produced. */
  wants(topic: string): boolean {
    if (this.taps.size === 0) return false;
    for (const tap of this.taps) if (tap.patterns.some((p) => matchCompiled(p, topic))) return true;
    return false;
  }
}
