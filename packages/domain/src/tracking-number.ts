/**
 * Tracking numbers are what residents read out over the phone, so digits only:
 * the local date of registration (Asia/Shanghai) then a zero-padded global sequence.
 * Example: 2026112100001234.
 */
// Built once: constructing an Intl formatter costs more than formatting with it.
const BEIJING_DATE = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });

/** The date part, YYYYMMDD in Beijing time. */
export function trackingDatePrefix(at: Date): string {
  // en-CA formats as 2026-11-21.
  return BEIJING_DATE.format(at).replaceAll('-', '');
}

export function formatTrackingNumber(at: Date, sequence: bigint | number): string {
  return `${trackingDatePrefix(at)}${String(sequence).padStart(8, '0')}`;
}

export const TRACKING_NUMBER_PATTERN = '^[0-9]{16,}$';
