import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

/**
 * The ceiling a public page is compared with, in its own process like the app: node:http answering
 * from memory the very bytes the app served (STATIC_FILES = JSON {path: [file, content-type, etag, content-encoding]}),
 * with the same caching headers and `304` on a matching If-None-Match; no framework, no database.
 */
const files = new Map(
  Object.entries(JSON.parse(process.env.STATIC_FILES ?? '{}') as Record<string, [string, string, string, string]>).map(
    ([path, [file, type, etag, encoding]]) => [path, { body: readFileSync(file), type, etag, encoding }],
  ),
);

createServer((req, res) => {
  if (req.url === '/health/ready') return res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
  const file = files.get(req.url ?? '');
  if (!file) return res.writeHead(404).end();
  const headers = { 'cache-control': 'public, max-age=60', etag: file.etag };
  if (req.headers['if-none-match'] === file.etag) return res.writeHead(304, headers).end();
  const encoding = file.encoding ? { 'content-encoding': file.encoding, vary: 'Accept-Encoding' } : {};
  res.writeHead(200, { ...headers, ...encoding, 'content-type': file.type, 'content-length': file.body.length }).end(file.body);
}).listen(Number(process.env.PORT), '127.0.0.1');
