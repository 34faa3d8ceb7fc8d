/** China keeps UTC+8 all year (no daylight saving): a fixed offset gives the local date, cheaply. */
const CHINA_OFFSET_MS = 8 * 3_600_000;

/** The date in China of an instant, 'YYYY-MM-DD'. */
export function chinaDay(at: Date | string): string {
  const ms = (typeof at === 'string' ? new Date(at) : at).getTime();
  return new Date(ms + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}
