import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import type { Message } from '../../protocol/types.js';
import { decodeEnvelope } from './names.js';

/**
 * Observer traffic (taps and pod-level subscriptions) on one core subject per project: at most
 * once, never held, never blocking. Every instance that has observers gets every message and
 * matches it with our own pattern rules (topics are not subjects). Messages are sent only while
 * some instance has observers: each registers whether it has any (KV `interest.<instance>`),
 * so a remote tap sees messages from about one round trip after it was added.
 */
export class Observers {
  private subscription: Subscription | null = null;
  private local = false;
  private readonly interested = new Set<string>();

  constructor(
    private readonly nc: NatsConnection,
    private readonly subject: string,
    private readonly instance: string,
    /** Registers this instance's interest when it changes. */
    private readonly register: (wants: boolean) => void,
  ) {}

  /** Other instances known to have observers. */
  get remote(): number {
    return this.interested.size;
  }

  setLocal(wants: boolean): void {
    if (wants === this.local) return;
    this.local = wants;
    this.register(wants);
  }

  /** From the registry watch. */
  readonly onInterest = (instance: string, wants: boolean): void => {
    if (instance === this.instance) return;
    if (wants) this.interested.add(instance);
    else this.interested.delete(instance);
  };

  start(onMessage: (message: Message) => void): void {
    this.subscription = this.nc.subscribe(this.subject, {
      callback: (error, msg) => {
        if (error !== null) return;
        const message = decodeEnvelope(msg.data);
        if (message !== null) onMessage(message);
      },
    });
  }

  publish(envelope: Uint8Array): void {
    if (this.local || this.interested.size > 0) this.nc.publish(this.subject, envelope);
  }

  close(): void {
    this.subscription?.unsubscribe();
    this.subscription = null;
  }
}

