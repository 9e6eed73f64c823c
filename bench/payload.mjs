/**
 * What a page downloads: the widget's scripts as the budget counts them
 * (packages/widget/build/size-budget.mjs follows /embed.js's chunk graph) and
 * as Parley actually sends them to a browser that takes Brotli.
 */
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { budgets, gzipSize, measureEmbed } from '../packages/widget/build/size-budget.mjs';

export { budgets };

const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../packages/widget/dist');

/** Bytes on the wire for `url` with `Accept-Encoding: encoding`. */
function servedBytes(url, encoding) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: { 'accept-encoding': encoding } }, (res) => {
      let bytes = 0;
      res.on('data', (part) => (bytes += part.length));
      res.on('end', () => (res.statusCode === 200 ? resolve({ bytes, encoding: res.headers['content-encoding'] ?? 'identity' }) : reject(new Error(`${url}: ${res.statusCode}`))));
    });
    req.on('error', reject);
  });
}

/** Sizes of /embed.js and its chunks (budget and Brotli as served) and of /admin.js. */
export async function measurePayload(origin) {
  const sizes = measureEmbed(dist);
  for (const file of sizes.files) file.br = (await servedBytes(`${origin}/${file.id}.js`, 'br')).bytes;
  const adminBr = (await servedBytes(`${origin}/admin.js`, 'br')).bytes;
  const sum = (list) => list.reduce((total, file) => total + file.br, 0);
  sizes.firstPaint.br = sum(sizes.files.filter((file) => file.firstPaint));
  sizes.whole.br = sum(sizes.files);
  const { readFileSync } = await import('node:fs');
  sizes.admin = { gzip: gzipSize(readFileSync(path.join(dist, 'admin.js'))), br: adminBr };
  return sizes;
}
