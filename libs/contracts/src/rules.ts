/**
 * Field formats shared by the API's DTOs and the SPA's forms. A rule is data, so both sides can
 * apply it: class-validator decorators on the API, a react-hook-form resolver in the SPA.
 */
export interface FieldRule {
  required: boolean;
  minLength?: number;
  maxLength?: number;
  pattern?: RegExp;
  /** A message key for the `pattern` failure (the SPA translates it; the API sends the English text). */
  patternMessage?: string;
}

export type RuleSet<K extends string = string> = Record<K, FieldRule>;

export interface RuleViolation {
  code: 'required' | 'minLength' | 'maxLength' | 'pattern' | 'type';
  message: string;
}

/** Checks one value against one rule; returns the first violation or null. */
export function checkField(rule: FieldRule, value: unknown): RuleViolation | null {
  if (value === undefined || value === null || value === '') {
    return rule.required ? { code: 'required', message: 'is required' } : null;
  }
  if (typeof value !== 'string') return { code: 'type', message: 'must be a string' };
  if (rule.minLength !== undefined && value.length < rule.minLength) {
    return { code: 'minLength', message: `must be at least ${rule.minLength} characters` };
  }
  if (rule.maxLength !== undefined && value.length > rule.maxLength) {
    return { code: 'maxLength', message: `must be at most ${rule.maxLength} characters` };
  }
  if (rule.pattern && !rule.pattern.test(value)) {
    return { code: 'pattern', message: rule.patternMessage ?? 'has an invalid format' };
  }
  return null;
}

/** Checks every field of a rule set; returns the violations keyed by field. */
export function checkFields<K extends string>(
  rules: RuleSet<K>,
  values: Partial<Record<K, unknown>>,
): Partial<Record<K, RuleViolation>> {
  const out: Partial<Record<K, RuleViolation>> = {};
  for (const key of Object.keys(rules) as K[]) {
    const violation = checkField(rules[key], values[key]);
    if (violation) out[key] = violation;
  }
  return out;
}
