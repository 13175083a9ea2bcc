import { PipeTransform } from '@nestjs/common';
import { AppError } from '../errors';

/** A path parameter checked against a pattern: 400 in the API's error shape, before any query sees it. */
export class ParseMatchPipe implements PipeTransform<string, string> {
  constructor(
    private readonly field: string,
    private readonly pattern: RegExp,
    private readonly shape: string,
  ) {}

  transform(value: string): string {
    if (!this.pattern.test(value)) {
      throw AppError.validation(`${this.field} must be ${this.shape}`, [{ field: this.field, problem: `must be ${this.shape}` }]);
    }
    return value;
  }
}

/** `{code}` of a regency: `53.71`. */
export const ParseRegencyCodePipe = new ParseMatchPipe('code', /^\d{2}\.\d{2}$/, 'a regency code like 53.71');
/** `{date}`: `YYYY-MM-DD`. */
export const ParseDatePipe = new ParseMatchPipe('date', /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'a date (YYYY-MM-DD)');
