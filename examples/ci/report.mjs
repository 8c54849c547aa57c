// A reporter job: counts results (and dead letters) until EXPECT items are accounted for,
// prints a summary and exits 0, or 1 if any item was dead-lettered.
import { createClient } from 'stdio-orchestrator/client';

const expect = Number(process.env.EXPECT ?? 500);
let ok = 0;
const dead = [];
for await (const message of createClient().messages()) {
  if (message.topic === 'work.dead') dead.push(message.data);
  else ok += 1;
  if (ok + dead.length === expect) break;
}
console.log(`report: ${ok} items processed, ${dead.length} dead-lettered${dead.length ? `: ${dead.join(', ')}` : ''}`);
process.exit(dead.length === 0 ? 0 : 1);
