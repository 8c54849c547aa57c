// Publishes a job on topic "jobs" every PERIOD_MS (default 400) ms; COUNT jobs then exits (default: forever).
const period = Number(process.env.PERIOD_MS ?? 400);
const count = Number(process.env.COUNT ?? Infinity);
let n = 0;
const timer = setInterval(() => {
  n += 1;
  console.log(`"jobs": build-${n}`);
  if (n >= count) clearInterval(timer);
}, period);
