/**
 * @file A tiny static file server for the built page (`dist/`): used by `pnpm playground` and by the
 * end-to-end tests. Local only (127.0.0.1), read-only, with the MIME types the page needs.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.ico': 'image/x-icon',
};

/** A running server. */
export interface StaticServer {
  readonly url: string;
  close(): Promise<void>;
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolvePort, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolvePort((server.address() as AddressInfo).port);
    });
  });
}

/**
 * Serves `root` on 127.0.0.1 at `port` (0: any free port; a busy port falls back to a free one).
 * @example const server = await serveStatic('dist', 0); console.log(server.url); await server.close();
 */
export async function serveStatic(root: string, port = 0): Promise<StaticServer> {
  const base = resolve(root);
  if (!existsSync(join(base, 'index.html'))) {
    throw new Error(
      `serveStatic: no index.html in ${base}; build the page first (pnpm --filter @optimgrad/playground build)`,
    );
  }
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    let file = normalize(join(base, path));
    if (file !== base && !file.startsWith(base + sep)) {
      response.writeHead(403).end('forbidden');
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end(`not found: ${path}`);
      return;
    }
    response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(response);
  });
  let actual: number;
  try {
    actual = await listen(server, port);
  } catch (error) {
    if ((error as { code?: string }).code !== 'EADDRINUSE' || port === 0) throw error;
    actual = await listen(server, 0);
  }
  return {
    url: `http://127.0.0.1:${actual}/`,
    close: () => new Promise((done) => server.close(() => done())),
  };
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
  const server = await serveStatic(dist, Number(process.env.PORT ?? 5173));
  console.log(`optimgrad playground: ${server.url}  (Ctrl+C stops it)`);
}
