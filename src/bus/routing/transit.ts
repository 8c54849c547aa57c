import { framedText, payloadText } from '../../protocol/encode.js';

/** The stdin formats a message can be written in without an id or an attempt (json needs both). */
export type PlainFormat = 'framed' | 'payload';

/**
 * A message being published, handed to a task that can write it at once instead of queueing it
 * (see `TaskConsumer.takeNow`): its topic, its data, and its text per format, encoded at most once
 * however many tasks take it, so a fan-out appends one string to every pod.
 *
 * One instance per transport, reset for every message (`reset`): valid only during the call it is
 * passed to, never kept. So publishing a message that no queue has to keep allocates no Message,
 * Parcel or Delivery, only its text.
 */
export class Transit {
  topic = '';
  data = '';
  private framed: string | undefined = undefined;
  private payload: string | undefined = undefined;

  reset(topic: string, data: string): void {
    this.topic = topic;
    this.data = data;
    this.framed = undefined;
    this.payload = undefined;
  }

  /** `topic\n1\n` of the last one-line message's topic: a run on one topic builds it once. */
  private prefixTopic = '';
  private prefix = '';

  /** The delivery's text in `format` (its bytes are that text as UTF-8, as for Parcel). */
  text(format: PlainFormat): string {
    if (format === 'framed') return (this.framed ??= this.framedText());
    return (this.payload ??= payloadText(this.data));
  }

  /** `framedText(topic, data)`, one line of data as two appends to the topic's cached prefix. */
  private framedText(): string {
    const { topic, data } = this;
    if (data.length === 0 || data.indexOf('\n') !== -1) return framedText(topic, data);
    if (topic !== this.prefixTopic) {
      this.prefixTopic = topic;
      this.prefix = `${topic}\n1\n`;
    }
    return this.prefix + data + '\n';
  }
}
