import type { Bus, BusEvent } from '../bus/bus.js';
import { AckLatency } from '../observe/ack-latency.js';
import { DeadLetterBox } from '../observe/dead-letters.js';
import { TopicBook } from '../observe/topic-book.js';

/**
 * What the run counts about its messages beyond the bus's own stats: topics (who publishes what,
 * the last message of each), dead letters with their data, and publish-to-ack latency. It sees
 * messages through the Bus facade's two ways in instead of tapping every topic (a tap would make
 * every optional stream, `<task>.stdout`, look subscribed and be produced): `publish` (the
 * orchestrator and the API, rare) is wrapped; a pod's `publisher` is given the TopicBook as its
 * counter, so a pod's message costs one direct call and no object. Dead letters, published by the
 * bus itself, are counted from its events. O(1) per message.
 */
export class BusAccounting {
  readonly topics: TopicBook;
  readonly deadLetters = new DeadLetterBox();
  readonly ackLatency = new AckLatency();

  constructor(private readonly now: () => number) {
    this.topics = new TopicBook(undefined, now);
  }

  /** For `createBus({ onAck })`. */
  readonly ack = (task: string, latencyMs: number): void => this.ackLatency.observe(task, latencyMs);

  /** The bus with its publishing counted; `taskOf` names a publishing pod's task. */
  wrap(bus: Bus, taskOf: (pod: string) => string | undefined): Bus {
    const topics = this.topics;
    const now = this.now;
    bus.onEvent((event) => this.busEvent(event));
    // Delegates everything else to `bus` through the prototype (a plain object or a class alike).
    return Object.assign(Object.create(bus) as Bus, {
      publish: (topic, data, from) => {
        topics.published({ id: '', topic, data, from, publishedAt: now() }, from === null ? null : (taskOf(from) ?? from));
        return bus.publish(topic, data, from);
      },
      publisher: (from, flow, options) => bus.publisher(from, flow, { ...options, count: { counter: topics, task: taskOf(from) ?? from } }),
    } satisfies Partial<Bus>);
  }

  private busEvent(event: BusEvent): void {
    if (event.type !== 'dead-lettered' && event.type !== 'undeliverable') return;
    const { message } = event;
    const at = this.now();
    this.deadLetters.add(event.task, {
      id: message.id,
      topic: message.topic,
      data: message.data,
      attempts: event.type === 'dead-lettered' ? event.attempts : 0,
      pod: event.type === 'dead-lettered' ? event.pod : null,
      at,
      reason: event.type === 'dead-lettered' ? 'max-deliveries' : 'undeliverable',
    });
    this.topics.published({ ...message, topic: `${message.topic}.dead`, from: null, publishedAt: at }, null);
  }
}
