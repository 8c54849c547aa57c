// Run with spawnSync by a test to stall its event loop, as a loaded machine would, until the server
// has sent the durable's messages again: exits 0 once the durable `durable` of stream `stream`
// delivered more than `delivered` messages (so at least one redelivery went out), 1 after 30 s.
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';

const [url, stream, durable, delivered] = process.argv.slice(2);
const nc = await connect({ servers: url });
const jsm = await jetstreamManager(nc);
const deadline = Date.now() + 30_000;
let sent = 0;
while ((sent = (await jsm.consumers.info(stream, durable)).delivered.consumer_seq) <= Number(delivered)) {
  if (Date.now() > deadline) {
    process.stderr.write(`the durable ${durable} sent ${sent} messages, not more than ${delivered}, within 30 s\n`);
    process.exitCode = 1;
    break;
  }
  await new Promise((resolve) => setTimeout(resolve, 20));
}
await nc.close();
