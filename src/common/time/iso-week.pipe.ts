import { Injectable, PipeTransform } from '@nestjs/common';
import { ValidateBy } from 'class-validator';
import { AppError } from '../errors';
import { IsoWeek, isValidIsoWeek } from './iso-week';

/** `{week}` path parameters: `YYYY-Www`, a week that exists in that year. */
@Injectable()
export class ParseIsoWeekPipe implements PipeTransform<string, IsoWeek> {
  transform(value: string): IsoWeek {
    if (!isValidIsoWeek(value)) {
      throw AppError.validation(`week must be an ISO week like 2026-W48, not ${JSON.stringify(value).slice(0, 40)}`, [
        { field: 'week', problem: 'must be an ISO week like 2026-W48' },
      ]);
    }
    return value;
  }
}

/** The same rule for `week` fields in query strings and bodies. */
export function IsIsoWeek(): PropertyDecorator {
  return ValidateBy({
    name: 'isIsoWeek',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && isValidIsoWeek(value),
      defaultMessage: () => 'must be an ISO week like 2026-W48',
    },
  });
}
