// A producer job: publishes ITEMS work items on "work", then exits 0.
const items = Number(process.env.ITEMS ?? 500);
const lines = [];
for (let i = 1; i <= items; i++) lines.push(`"work": item-${i}`);
process.stdout.write(lines.join('\n') + '\n', () => {
  console.error(`published ${items} work items`);
  process.exit(0);
});
