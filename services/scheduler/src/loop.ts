import type { Logger } from '@petitions/runtime';

/** Run `tick` now and then every `intervalMs` after it finishes; errors are logged, never fatal. */
export function startLoop(name: string, intervalMs: number, logger: Logger, tick: () => Promise<void>): { stop: () => Promise<void> } {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const run = () => {
    running = tick()
      .catch((err: unknown) => logger.warn({ err: err instanceof Error ? err.message : String(err) }, `${name} failed`))
      .finally(() => {
        if (!stopped) timer = setTimeout(run, intervalMs);
      });
  };
  run();
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
