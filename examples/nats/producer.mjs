// Publishes "jobs": <instance>-<n> every PERIOD_MS (default 2000) ms.
const period = Number(process.env.PERIOD_MS ?? 2000);
const instance = process.env.ORCHESTRATOR_INSTANCE ?? 'local';
let n = 0;
setInterval(() => {
  n += 1;
  console.log(`"jobs": ${instance}-${n}`);
}, period);
