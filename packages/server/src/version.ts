import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The server package's version, reported by /healthz and the OpenAPI document. */
export const version: string = (require('../package.json') as { version: string }).version;
