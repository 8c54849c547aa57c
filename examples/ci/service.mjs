// A small HTTP service: /health answers 503 while "warming up" (WARMUP_MS), then 200.
import { createServer } from 'node:http';

const port = Number(process.env.PORT ?? 18080);
const ready = Date.now() + Number(process.env.WARMUP_MS ?? 300);
let migrated = false;
createServer((req, res) => {
  if (req.url === '/health') res.writeHead(Date.now() >= ready ? 200 : 503).end();
  else if (req.url === '/migrate' && req.method === 'POST') {
    migrated = true;
    res.writeHead(200).end('migrated\n');
  } else if (req.url === '/migrated') res.writeHead(migrated ? 200 : 409).end(String(migrated));
  else res.writeHead(404).end();
}).listen(port, '127.0.0.1', () => console.log(`listening on ${port}`));
