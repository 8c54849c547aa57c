import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import type { Message } from '../../protocol/types.js';
import { decodeEnvelope } from './names.js';

/**
 * Observer traffic (taps and pod-level subscriptions) on one core subject per project: at most
 * once, never held, never blocking. Every instance gets every message and matches it with our
 * own pattern rules (topics are not subjects), so remote interest needs no registration.
 */
export class Observers {
  private subscription: Subscription | null = null;

  constructor(
    private readonly nc: NatsConnection,
    private readonly subject: string,
  ) {}

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
    this.nc.publish(this.subject, envelope);
  }

  close(): void {
    this.subscription?.unsubscribe();
    this.subscription = null;
  }
}

