/**
 * The parts of the protocol a browser needs at run time, without zod: error
 * codes and messages, limits, room names. Types come from the main entry with
 * `import type`, which costs nothing in a bundle.
 */
export * from './codes.js';
export * from './limits.js';
export * from './labels.js';
export * from './rooms.js';
export * from './endpoints.js';
