export * from './call-stats.js';
export * from './circuit-breaker.js';
export * from './errors.js';
export * from './http-client.js';
export * from './rate-governor.js';
export * from './rate-headers.js';
export * from './rate-limits.js';
export * from './retry.js';
