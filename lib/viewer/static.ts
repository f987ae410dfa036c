import fs from 'node:fs';
import type { ServerResponse } from 'node:http';
import path from 'node:path';

/**
 * The UI's static files: `/` is ui/index.html, `/ui/<file>` any other file of ui/ (beside this module: lib/
 * viewer/ui from the sources, dist/viewer/ui once built). A path that leaves the folder (`..`, an encoded
 * one, an absolute one, a NUL) is a 404, never a file elsewhere.
 */
export const UI_DIR = path.join(__dirname, 'ui');

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/** The file under `root` that `urlPath` names, or null when it names nothing inside it. */
export function resolveUiFile(root: string, urlPath: string): string | null {
  let relative: string;
  if (urlPath === '/' || urlPath === '/index.html') relative = 'index.html';
  else if (urlPath.startsWith('/ui/')) {
    try {
      relative = decodeURIComponent(urlPath.slice('/ui/'.length));
    } catch {
      return null;
    }
  } else return null;
  if (relative === '' || relative.includes('\0') || relative.includes('\\')) return null;
  const file = path.resolve(root, relative);
  if (!file.startsWith(root + path.sep)) return null;
  return file;
}

export function serveStatic(root: string, urlPath: string, res: ServerResponse, headers: Record<string, string>): boolean {
  const file = resolveUiFile(root, urlPath);
  if (!file) return false;
  let data: Buffer;
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) return false;
    data = fs.readFileSync(file);
  } catch {
    return false;
  }
  res.writeHead(200, {
    ...headers,
    'content-type': TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
    'content-length': String(data.length),
    'cache-control': 'no-cache',
  });
  res.end(data);
  return true;
}
