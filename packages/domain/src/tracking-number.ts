import { chinaDay } from './china-time.js';

/**
 * Tracking numbers are what residents read out over the phone, so digits only:
 * the local date of registration (Asia/Shanghai) then a zero-padded global sequence.
 * Example: 2026112100001234.
 */
/** The date part, YYYYMMDD in Beijing time. */
export function trackingDatePrefix(at: Date): string {
  return chinaDay(at).replaceAll('-', '');
}

export function formatTrackingNumber(at: Date, sequence: bigint | number): string {
  return `${trackingDatePrefix(at)}${String(sequence).padStart(8, '0')}`;
}

export const TRACKING_NUMBER_PATTERN = '^[0-9]{16,}$';
