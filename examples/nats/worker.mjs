// A round-robin worker (stdin = "json"): takes WORK_MS (default 3000) per job and answers by id.
// It prints which instance's job it works on and the attempt: 2 means another instance had it first.
import { createInterface } from 'node:readline';

const work = Number(process.env.WORK_MS ?? 3000);
const me = `${process.env.ORCHESTRATOR_POD}@${process.env.ORCHESTRATOR_INSTANCE}`;
for await (const line of createInterface({ input: process.stdin })) {
  const job = JSON.parse(line);
  console.log(`${me} working on ${job.data}${job.attempt > 1 ? ` (attempt ${job.attempt}: taken over)` : ''}`);
  await new Promise((resolve) => setTimeout(resolve, work));
  console.log(JSON.stringify({ topic: `${job.topic}.result`, data: `${job.data} done by ${me}`, in_reply_to: job.id }));
}
