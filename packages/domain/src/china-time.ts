/** China keeps UTC+8 all year (no daylight saving): a fixed offset gives the local date, cheaply. */
const CHINA_OFFSET_MS = 8 * 3_600_000;

/** The date in China of an instant, 'YYYY-MM-DD'. */
export function chinaDay(at: Date | string): string {
  const ms = (typeof at === 'string' ? new Date(at) : at).getTime();
  return new Date(ms + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** The wall-clock time in China of an instant, 'YYYY-MM-DD HH:mm' (what a clerk reads on a form). */
export function chinaDateTime(at: Date): string {
  return new Date(at.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

/** A date 'YYYY-MM-DD' moved by whole days (calendar arithmetic on the date alone). */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The first day of the month `date` falls in. */
export function monthStart(date: string): string {
  return `${date.slice(0, 7)}-01`;
}

/** The first day of the month `months` after (or before, when negative) the one `date` falls in. */
export function addMonths(date: string, months: number): string {
  const d = new Date(`${monthStart(date)}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString().slice(0, 10);
}

/** The last day of the month `date` falls in. */
export function monthEnd(date: string): string {
  return addDays(addMonths(date, 1), -1);
}

/**
 * An inclusive period of dates split by grain: the whole months inside it (first days of the first
 * and last, or null) and the days outside them, so a report reads month rows where it can.
 */
export function splitByMonth(from: string, to: string): { months: [string, string] | null; days: [string, string][] } {
  const first = from === monthStart(from) ? from : addMonths(from, 1);
  const afterLast = to === monthEnd(to) ? addDays(to, 1) : monthStart(to);
  if (first >= afterLast) return { months: null, days: from <= to ? [[from, to]] : [] };
  const lastMonth = addMonths(afterLast, -1);
  const days: [string, string][] = [];
  if (from < first) days.push([from, addDays(first, -1)]);
  if (afterLast <= to) days.push([afterLast, to]);
  return { months: [first, lastMonth], days };
}
