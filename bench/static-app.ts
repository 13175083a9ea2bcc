import { createServer } from 'node:http';

/**
 * The ceiling each read path is compared with, in its own process like the app: `GET /<bytes>`
 * answers that many bytes from memory (built once per size), no framework, no database — what
 * serving a response of that size costs on this machine, nothing else.
 */
const bodies = new Map<number, Buffer>();

function body(bytes: number): Buffer {
  let b = bodies.get(bytes);
  if (!b) bodies.set(bytes, (b = Buffer.alloc(bytes, 'x')));
  return b;
}

createServer((req, res) => {
  const bytes = Number((req.url ?? '/').slice(1));
  if (req.url === '/health/ready') return res.end('{"status":"ok"}');
  if (!Number.isInteger(bytes) || bytes < 0 || bytes > 64 * 2 ** 20) {
    res.statusCode = 404;
    return res.end();
  }
  res.setHeader('content-type', 'application/octet-stream');
  res.setHeader('content-length', bytes);
  res.end(body(bytes));
}).listen(Number(process.env.PORT), '127.0.0.1');
