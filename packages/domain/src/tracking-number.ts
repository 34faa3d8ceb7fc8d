/**
 * Tracking numbers are what residents read out over the phone, so digits only:
 * the local date of registration (Asia/Shanghai) then a zero-padded global sequence.
 * Example: 2026112100001234.
 */
export function formatTrackingNumber(at: Date, sequence: bigint | number): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit',
  }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}${get('month')}${get('day')}${String(sequence).padStart(8, '0')}`;
}

export const TRACKING_NUMBER_PATTERN = '^[0-9]{16,}$';
