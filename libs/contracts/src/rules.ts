/**
 * Field formats shared by the API's DTOs and the SPA's forms. A rule is data, so both sides can
 * apply it: class-validator decorators on the API, a react-hook-form resolver in the SPA.
 */
/**
 * What a field must look like, as a stable code: clients describe the whole rule with it (digits
 * only, between min and max; starts with "EA", no spaces; …) whichever of its checks failed.
 */
export const FIELD_FORMATS = [
  'digits',
  'metaAccessToken',
  'hex32',
  'verifyToken',
  'email',
  'httpUrl',
  'objectId',
  'plainText',
  'sessionId',
] as const;
export type FieldFormat = (typeof FIELD_FORMATS)[number];

export interface FieldRule {
  required: boolean;
  minLength?: number;
  maxLength?: number;
  pattern?: RegExp;
  /** The English text of a `pattern` failure, for the API's answers. */
  patternMessage?: string;
  /** The format the field follows; the SPA describes the rule from it (with min/max). */
  format?: FieldFormat;
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
