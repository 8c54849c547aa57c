// A broadcast subscriber: prints every message it receives (framed stdin) with a running count.
import { createClient } from 'stdio-orchestrator/client';

let count = 0;
for await (const message of createClient().messages()) {
  count += 1;
  console.log(`#${count} ${message.topic}: ${message.data}`);
}
