import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Personal data never reaches logs: these paths are censored wherever they appear in a log
 * object (request bodies, headers, error details). Code should not log such objects anyway.
 */
export const REDACT_PATHS = [
  'req.headers.authorization', 'req.headers.cookie', 'req.headers["x-api-key"]',
  '*.contact', '*.name', '*.phone', '*.address', '*.password', '*.token',
  'contact', 'name', 'phone', 'address', 'password', 'token',
  'body.contact', 'body.name', 'body.phone', 'body.address', 'body.content',
];

export function createLogger(service: string, level: string): Logger {
  return pino({
    level,
    base: { service },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}
