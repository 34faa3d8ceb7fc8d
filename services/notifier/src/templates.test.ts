import { describe, expect, it } from 'vitest';
import { petitionMachineV1, petitionMachineV2 } from '@petitions/petition-workflow';
import { render, TEMPLATES } from './templates.js';

/** Every notification any machine version can ask for, read from the machine definitions. */
function templatesUsed(): Set<string> {
  const json = JSON.stringify([petitionMachineV1.definition, petitionMachineV2.definition]);
  return new Set([...json.matchAll(/"template":"([a-z_]+)"/g)].map((m) => m[1]!));
}

/** Templates some machine version sends to residents. */
function residentTemplates(): Set<string> {
  const json = JSON.stringify([petitionMachineV1.definition, petitionMachineV2.definition]);
  return new Set([...json.matchAll(/"template":"([a-z_]+)","audience":"resident"/g)].map((m) => m[1]!));
}

describe('notification templates', () => {
  it('keep messages to residents within one SMS (70 Chinese characters, tracking number included)', () => {
    const resident = residentTemplates();
    expect(resident.size).toBeGreaterThanOrEqual(3);
    for (const name of resident) {
      const r = render(name, { trackingNo: '2026112100000001' });
      expect([...r.zh].length, name).toBeLessThanOrEqual(70);
    }
  });

  it('exist in Chinese and English for every template a machine emits', () => {
    const used = templatesUsed();
    expect(used.size).toBeGreaterThan(10);
    for (const name of used) {
      expect(TEMPLATES[name], name).toBeDefined();
      const r = render(name, { trackingNo: '2026112100000001' });
      expect(r.zh).toContain('2026112100000001');
      expect(r.en).toContain('2026112100000001');
    }
  });
});
