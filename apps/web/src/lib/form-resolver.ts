import {
  checkFields,
  type FieldFormat,
  type FieldRule,
  type RuleSet,
  type RuleViolation,
} from '@conecta/contracts';
import type { FieldErrors, FieldValues, Resolver } from 'react-hook-form';
import type { Translate } from './i18n/i18n';
import type { MessageKey } from './i18n/i18n';

/** The sentence describing a format; a format without one does not compile. */
export function formatKey(format: FieldFormat): MessageKey {
  return `validation.format.${format}`;
}

/** The whole rule of a field with a format, in words: what to type, not which check failed. */
export function formatMessage(t: Translate, rule: FieldRule & { format: FieldFormat }): string {
  return t(formatKey(rule.format), { min: rule.minLength ?? 1, max: rule.maxLength ?? '' });
}

/** Turns a rule violation into a message in the current language. */
export function violationMessage(
  t: Translate,
  rules: RuleSet,
  field: string,
  violation: RuleViolation,
): string {
  const rule = rules[field];
  if (rule?.format && violation.code !== 'required' && violation.code !== 'type') {
    return formatMessage(t, { ...rule, format: rule.format });
  }
  switch (violation.code) {
    case 'required':
      return t('validation.required');
    case 'minLength':
      return t('validation.minLength', { n: rule?.minLength ?? 0 });
    case 'maxLength':
      return t('validation.maxLength', { n: rule?.maxLength ?? 0 });
    case 'pattern':
      return t('validation.pattern');
    default:
      return t('validation.type');
  }
}

/**
 * A react-hook-form resolver over the shared rules of `libs/contracts`: the same rules the API's
 * DTOs enforce. `rulesFor` may pick the rules per submission (e.g. the token is optional when editing).
 */
export function rulesResolver<T extends FieldValues>(
  rulesFor: RuleSet | ((values: T) => RuleSet),
  t: Translate,
): Resolver<T> {
  return (values) => {
    const rules = typeof rulesFor === 'function' ? rulesFor(values) : rulesFor;
    const violations = checkFields(rules, values as Record<string, unknown>);
    const errors: Record<string, { type: string; message: string }> = {};
    for (const [field, violation] of Object.entries(violations)) {
      if (violation) {
        errors[field] = {
          type: violation.code,
          message: violationMessage(t, rules, field, violation),
        };
      }
    }
    if (Object.keys(errors).length === 0) return { values, errors: {} };
    return { values: {}, errors: errors as FieldErrors<T> };
  };
}
