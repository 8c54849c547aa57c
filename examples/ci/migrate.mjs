// A migration job: runs once against the service, exits 0 on success.
const port = Number(process.env.PORT ?? 18080);
const res = await fetch(`http://127.0.0.1:${port}/migrate`, { method: 'POST' });
console.log(`migration: HTTP ${res.status} ${(await res.text()).trim()}`);
process.exit(res.ok ? 0 : 1);
