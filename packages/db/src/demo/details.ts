import type { DemoCategoryField } from './demo-data.js';

type Field = Pick<DemoCategoryField, 'key' | 'type' | 'required' | 'options'>;

/** The reports give no values for categories' extra fields: the demo answers the required ones plainly. */
export function demoDetails(fields: readonly Field[]): Record<string, string | number | boolean> {
  return Object.fromEntries(fields.filter((f) => f.required)
    .map((f) => [f.key, f.type === 'select' ? f.options?.[0] ?? '' : f.type === 'boolean' ? true : f.type === 'number' ? 1 : '未提供']));
}
