/** What a page downloads: gzip (level 9) sizes of the widget's scripts. */
import zlib from 'node:zlib';

const KB = 1024;

export function gzipKiB(buffer) {
  return zlib.gzipSync(buffer, { level: 9 }).length / KB;
}

/** The budgets of issue #5, in KiB gzipped. */
export const budgets = { firstPaintKiB: 18, wholeWidgetKiB: 40 };
