import { ClassConstructor, plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { AppError } from '../../common/errors';

/** A form checked by the same DTO as the API endpoint it mirrors; problems as an AppError (400). */
export async function validForm<T extends object>(cls: ClassConstructor<T>, body: Record<string, unknown>): Promise<T> {
  const dto = plainToInstance(cls, body);
  const problems = await validate(dto, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
  if (problems.length) {
    const details = problems.flatMap((p) => Object.values(p.constraints ?? {}).map((problem) => ({ field: p.property, problem })));
    throw AppError.validation(details.map((d) => d.problem).join('; '), details);
  }
  return dto;
}

/**
 * A form field's trimmed text, or undefined when empty. A field sent twice (an array) is refused:
 * no form of ours repeats a single field, and taking one of the values silently would save
 * something the person did not choose.
 */
export function formText(value: unknown): string | undefined {
  if (Array.isArray(value)) throw AppError.validation('A form field was sent more than once', [{ problem: 'repeated field' }]);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/**
 * Whether a failed form submission is answered by showing the form again with the problem
 * (validation, conflicts); not-found and forbidden go to the error page instead.
 */
export function isFormProblem(e: unknown): e is AppError {
  return e instanceof AppError && e.statusCode !== 404 && e.statusCode !== 403;
}

/** Fields whose problems have their own words on the pages (templates/pages/i18n: `error.field.<name>`). */
const FIELDS_WITH_WORDS = new Set([
  'password',
  'email',
  'regencyCode',
  'provinceCode',
  'mppIds',
  'targetDate',
  'from',
  'to',
  'note',
  'kind',
  'name',
]);

/**
 * The page wording (an i18n key) for a refused form: the API's messages are English and for
 * programs, so a page never shows `e.message`; it names the field in the reader's language.
 */
export function formErrorKey(e: AppError): string {
  if (e.statusCode === 409) return e.message.includes('email') ? 'error.field.emailTaken' : 'error.conflict';
  const field = e.details.find((d) => d.field && FIELDS_WITH_WORDS.has(d.field))?.field;
  return field ? `error.field.${field}` : 'error.invalid';
}
