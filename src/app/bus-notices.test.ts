import { describe, expect, test } from 'vitest';
import { EventLog } from '../observe/event-log.js';
import { recordingLogger } from '../testing/recording-logger.js';
import { onBusNotice } from './bus-notices.js';

describe('onBusNotice', () => {
  test('connection changes become bus-connection events, redacted; losing the server is a warning', () => {
    const events = new EventLog(() => 5);
    const { logger, warnings } = recordingLogger();
    const notice = onBusNotice({ logger, events });
    notice({ type: 'connection', state: 'connected', server: 'nats://127.0.0.1:4222' });
    notice({ type: 'connection', state: 'disconnected', server: 'nats://u:p4ssw0rd@127.0.0.1:4222' });
    notice({ type: 'connection', state: 'reconnecting', server: 'nats://u:p4ssw0rd@127.0.0.1:4222' });
    notice({ type: 'connection', state: 'reconnected', server: 'nats://127.0.0.1:4222' });
    expect(events.list().map((e) => [e.type, e.message])).toEqual([
      ['bus-connection', 'connected to the NATS server nats://127.0.0.1:4222'],
      ['bus-connection', 'lost the NATS server nats://***@127.0.0.1:4222: pods keep running, publishing pods are paused; reconnecting'],
      ['bus-connection', 'reconnecting to the NATS server nats://***@127.0.0.1:4222'],
      ['bus-connection', 'reconnected to the NATS server nats://127.0.0.1:4222: work resumes'],
    ]);
    expect(warnings).toEqual([{ server: 'nats://***@127.0.0.1:4222' }]);
  });

  test('a lost lease is a warning naming the task and message', () => {
    const events = new EventLog(() => 5);
    const { logger, warnings } = recordingLogger();
    onBusNotice({ logger, events })({ type: 'lease-lost', task: 'worker', message: { id: 'm-1', topic: 'jobs', data: 'x', from: null, publishedAt: 1 } });
    expect(warnings).toEqual([{ task: 'worker', id: 'm-1' }]);
    expect(events.list()).toEqual([]);
  });
});
