/** A category's extra field, as admins define it (categories.extra_fields). */
export interface CategoryField {
  key: string;
  label: string;
  labelEn: string;
  type: 'text' | 'number' | 'boolean' | 'select';
  required: boolean;
  options?: string[];
  /** English labels of `options`, in the same order (the stored value stays the Chinese option). */
  optionsEn?: string[];
  /** Bounds of a number field (an amount owed is never negative, a building has at least one floor). */
  min?: number;
  max?: number;
}

/** The English label of a select field's value, when the field gives one. */
export function optionEn(f: CategoryField, value: unknown): string | undefined {
  const i = (f.options ?? []).indexOf(String(value));
  return i >= 0 ? f.optionsEn?.[i] : undefined;
}

export type DetailValue = string | number | boolean;

export interface DetailProblem {
  key: string;
  code: 'MISSING_FIELD' | 'UNKNOWN_FIELD' | 'INVALID_FIELD';
  message: string;
}

/** Check intake details against the category's extra fields; the first problem, or null. */
export function checkDetails(fields: readonly CategoryField[], details: Record<string, DetailValue>): DetailProblem | null {
  const byKey = new Map(fields.map((f) => [f.key, f]));
  for (const key of Object.keys(details)) {
    if (!byKey.has(key)) return { key, code: 'UNKNOWN_FIELD', message: `this category has no field "${key}"; its fields are: ${fields.map((f) => f.key).join(', ') || 'none'}` };
  }
  for (const f of fields) {
    const v = details[f.key];
    if (v === undefined || v === '') {
      if (f.required) return { key: f.key, code: 'MISSING_FIELD', message: `is required for this category (${f.label})` };
      continue;
    }
    const wrong = (what: string) => ({ key: f.key, code: 'INVALID_FIELD' as const, message: `must be ${what} (${f.label})` });
    if (f.type === 'number' && (typeof v !== 'number' || !Number.isFinite(v))) return wrong('a number');
    if (f.type === 'number' && ((f.min !== undefined && (v as number) < f.min) || (f.max !== undefined && (v as number) > f.max))) {
      return wrong(f.max === undefined ? `at least ${f.min}` : f.min === undefined ? `at most ${f.max}` : `between ${f.min} and ${f.max}`);
    }
    if (f.type === 'boolean' && typeof v !== 'boolean') return wrong('true or false');
    if (f.type === 'text' && (typeof v !== 'string' || v.length > 500)) return wrong('text of at most 500 characters');
    if (f.type === 'select' && !(f.options ?? []).includes(String(v))) return wrong(`one of: ${(f.options ?? []).join(', ')}`);
  }
  return null;
}
