export * from './codes.js';
export * from './errors.js';
export * from './limits.js';
export * from './rooms.js';
export * from './schemas.js';
export * from './endpoints.js';
export * from './routes.js';
export * from './events.js';
export { buildOpenApiDocument } from './openapi.js';
