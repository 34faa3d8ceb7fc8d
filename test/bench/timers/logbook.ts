import type { Service } from '../lifecycle/processes.js';

export interface LogEntry {
  /** When the bench read the line (ms since the epoch). */
  at: number;
  msg: string;
  level: number;
  fields: Record<string, unknown>;
}

/** The JSON (pino) lines a service prints, kept with the time they arrived. */
export class LogBook {
  readonly entries: LogEntry[] = [];

  constructor(service: Service) {
    service.watch((line) => {
      if (!line.startsWith('{')) return;
      try {
        const fields = JSON.parse(line) as Record<string, unknown>;
        this.entries.push({ at: Date.now(), msg: typeof fields.msg === 'string' ? fields.msg : '', level: Number(fields.level ?? 0), fields });
      } catch {
        // not JSON: ignore
      }
    });
  }

  /** The first entry with this message read at or after `since`. */
  find(msg: string, since = 0): LogEntry | undefined {
    return this.entries.find((e) => e.at >= since && e.msg === msg);
  }

  /** Entries at warn level or above (pino: 40+) read at or after `since`. */
  warnings(since = 0): LogEntry[] {
    return this.entries.filter((e) => e.at >= since && e.level >= 40);
  }

  async waitFor(msg: string, since: number, timeoutMs: number): Promise<LogEntry | undefined> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const e = this.find(msg, since);
      if (e || Date.now() > until) return e;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}
