import type { Logger } from 'pino';

export interface ServiceHandle {
  /** Phase one: stop taking new work (close the HTTP listener, pause workers) and drain. */
  drain: () => Promise<void>;
  /** Phase two: close queues, Redis and the database pool. */
  close: () => Promise<void>;
}

/**
 * Run a service until SIGINT/SIGTERM, then shut down in two bounded phases. A second signal,
 * or the time bound passing, forces exit so a stuck drain never hangs a deploy.
 */
export async function runService(name: string, logger: Logger, timeoutMs: number, start: () => Promise<ServiceHandle>): Promise<void> {
  let handle: ServiceHandle;
  try {
    handle = await start();
  } catch (err) {
    logger.fatal({ err }, `${name} failed to start`);
    process.exit(1);
  }
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      logger.error({ timeoutMs }, 'shutdown timed out: exiting');
      process.exit(1);
    }, timeoutMs);
    timer.unref();
    try {
      await handle.drain();
      await handle.close();
      logger.info('stopped');
      process.exit(0);
    } catch (err) {
      logger.error({ err }, 'error during shutdown');
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled rejection'));
}
