export { createLogger, REDACT_PATHS, type Logger } from './logger.js';
export { runService, type ServiceHandle } from './lifecycle.js';
export { MicroBatcher, type BatcherOptions } from './batcher.js';
