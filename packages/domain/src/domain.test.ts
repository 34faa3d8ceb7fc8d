import { describe, expect, it } from 'vitest';
import { dueAt, formatTrackingNumber } from './index.js';

describe('tracking numbers', () => {
  it('use the Beijing date, not UTC', () => {
    // 2026-11-21 20:30 UTC is already the 22nd in Beijing.
    expect(formatTrackingNumber(new Date('2026-11-21T20:30:00Z'), 1234)).toBe('2026112200001234');
    expect(formatTrackingNumber(new Date('2026-11-21T10:00:00Z'), 7)).toBe('2026112100000007');
  });

  it('keep growing past eight digits of sequence', () => {
    expect(formatTrackingNumber(new Date('2026-01-01T04:00:00Z'), 123456789n)).toBe('20260101123456789');
  });
});

describe('first-cut SLA clock', () => {
  it('gives an emergency 30 minutes to sign for and 2 hours to handle', () => {
    const t = new Date('2026-03-01T00:00:00Z');
    expect(dueAt('sign_for', 'emergency', t).toISOString()).toBe('2026-03-01T00:30:00.000Z');
    expect(dueAt('handling', 'emergency', t).toISOString()).toBe('2026-03-01T02:00:00.000Z');
  });
});
