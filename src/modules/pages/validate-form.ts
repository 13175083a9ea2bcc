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
