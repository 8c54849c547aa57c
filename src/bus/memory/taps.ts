import { compilePattern, matchCompiled, TopicBroker, type CompiledPattern } from '../routing/index.js';
import type { Message } from '../../protocol/types.js';

interface Tap {
  readonly patterns: readonly CompiledPattern[];
  readonly listener: (message: Message) => void;
}

/**
 * A broker that also lets observers outside the pod world (the control API's `subscribe`) see
 * every published message matching their patterns. Taps never take part in delivery: no queue,
 * no ack, nothing is held for them; they only see messages as they are published.
 */
export class TappedBroker extends TopicBroker {
  private readonly taps = new Set<Tap>();

  /** Throws InvalidTopicPatternError for a bad pattern. Returns the function that removes the tap. */
  tap(patterns: readonly string[], listener: (message: Message) => void): () => void {
    const tap: Tap = { patterns: patterns.map(compilePattern), listener };
    this.taps.add(tap);
    return () => this.taps.delete(tap);
  }

  override publish(message: Message): ReturnType<TopicBroker['publish']> {
    const route = super.publish(message);
    for (const tap of this.taps) if (tap.patterns.some((p) => matchCompiled(p, message.topic))) tap.listener(message);
    return route;
  }

  /** Also true when a tap wants the topic, so optional streams (`<task>.stdout`, `system.pods`) are produced. */
  override hasSubscribers(topic: string): boolean {
    if (super.hasSubscribers(topic)) return true;
    for (const tap of this.taps) if (tap.patterns.some((p) => matchCompiled(p, topic))) return true;
    return false;
  }
}
