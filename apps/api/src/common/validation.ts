import { ValidationError, ValidationPipe } from '@nestjs/common';
import type { FieldError } from '@conecta/contracts';
import { AppError } from './errors/app-error';

const CODE_BY_CONSTRAINT: Record<string, string> = {
  whitelistValidation: 'unknown',
  isDefined: 'required',
  isNotEmpty: 'required',
  matches: 'pattern',
  maxLength: 'maxLength',
  minLength: 'minLength',
  isEnum: 'enum',
  isIn: 'enum',
};

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const error of errors) {
    const field = parent ? `${parent}.${error.property}` : error.property;
    for (const [constraint, message] of Object.entries(error.constraints ?? {})) {
      out.push({
        field,
        code: CODE_BY_CONSTRAINT[constraint] ?? constraint,
        message:
          constraint === 'whitelistValidation'
            ? 'is not an allowed field'
            : message.replace(`${error.property} `, ''),
      });
    }
    if (error.children?.length) out.push(...flatten(error.children, field));
  }
  return out;
}

/** The global pipe: whitelist, reject unknown fields, transform; errors name each field. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => AppError.validation(flatten(errors)),
  });
}
