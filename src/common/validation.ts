import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { AppError, ErrorDetail } from './errors';

function flatten(errors: ValidationError[], parent = ''): ErrorDetail[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((problem) => ({ field, problem }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** Property names that reach for an object's prototype: refused anywhere in input. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * The path of the first forbidden key in `value`, walked without recursion (a hostile body may
 * nest tens of thousands of levels inside the 64 KiB limit).
 */
export function forbiddenKeyPath(value: unknown): string | null {
  const stack: [unknown, string][] = [[value, '']];
  while (stack.length) {
    const [node, path] = stack.pop()!;
    if (!node || typeof node !== 'object') continue;
    for (const key of Object.keys(node)) {
      const at = path ? `${path}.${key}` : key;
      if (FORBIDDEN_KEYS.has(key)) return at;
      stack.push([(node as Record<string, unknown>)[key], at]);
    }
  }
  return null;
}

/**
 * Fastify's JSON parser refuses `__proto__` and `constructor.prototype`; class-transformer then
 * silently drops a plain `prototype` or `constructor` key. Refuse them all, like any unknown field.
 */
class StrictValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const path = forbiddenKeyPath(value);
    if (path) throw AppError.validation(`${path}: property name not allowed`, [{ field: path, problem: 'property name not allowed' }]);
    return super.transform(value, metadata);
  }
}

/** Strict validation: unknown fields are refused, types are not coerced in bodies. */
export function createValidationPipe(): ValidationPipe {
  return new StrictValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const details = flatten(errors);
      return AppError.validation(details.map((d) => `${d.problem}`).join('; ') || 'Invalid input', details);
    },
  });
}
