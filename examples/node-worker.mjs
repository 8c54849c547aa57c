// A round-robin worker in Node using the typed client: no framing code.
import { createClient } from 'stdio-orchestrator/client';

const client = createClient();
for await (const message of client.messages()) {
  const result = message.data.split('').reverse().join('');
  await client.reply(message, `${message.data} -> ${result} (${process.env.ORCHESTRATOR_POD})`);
}
