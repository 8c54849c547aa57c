// A pool worker (stdin = "json"): processes an item and replies on "work.result".
// FAIL_ONCE=<item> crashes on that item's first delivery (it is redelivered to another pod);
// FAIL_ALWAYS=<item> crashes on every delivery (it ends on "work.dead").
import { createClient } from 'stdio-orchestrator/client';

const client = createClient();
for await (const message of client.messages()) {
  const poisoned = message.data === process.env.FAIL_ALWAYS || (message.data === process.env.FAIL_ONCE && message.attempt === 1);
  if (poisoned) {
    console.error(`${message.data}: cannot process (attempt ${message.attempt}), crashing`);
    process.exit(3);
  }
  await client.reply(message, `${message.data} ok (attempt ${message.attempt})`);
}
