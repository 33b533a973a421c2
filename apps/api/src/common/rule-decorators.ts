import { applyDecorators } from '@nestjs/common';
import type { FieldRule } from '@conecta/contracts';
import {
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateIf,
} from 'class-validator';

/**
 * class-validator decorators for a shared {@link FieldRule}, so the API enforces exactly what the
 * SPA's resolver checks. `allowEmpty`: '' and null mean "not given" (e.g. "generate one for me").
 */
export function FollowsRule(
  rule: FieldRule,
  options: { allowEmpty?: boolean } = {},
): PropertyDecorator {
  const decorators: PropertyDecorator[] = [];
  if (options.allowEmpty) {
    decorators.push(ValidateIf((_, v: unknown) => v !== '' && v !== null && v !== undefined));
  } else if (!rule.required) {
    decorators.push(IsOptional());
  } else {
    decorators.push(IsNotEmpty({ message: '$property is required' }));
  }
  decorators.push(IsString({ message: '$property must be a string' }));
  if (rule.minLength !== undefined) {
    decorators.push(
      MinLength(rule.minLength, {
        message: `$property must be at least ${rule.minLength} characters`,
      }),
    );
  }
  if (rule.maxLength !== undefined) {
    decorators.push(
      MaxLength(rule.maxLength, {
        message: `$property must be at most ${rule.maxLength} characters`,
      }),
    );
  }
  if (rule.pattern) {
    decorators.push(
      Matches(rule.pattern, {
        message: `$property ${rule.patternMessage ?? 'has an invalid format'}`,
      }),
    );
  }
  return applyDecorators(...decorators);
}
