import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { CHECK_IN_STATUSES } from '../cycles/evaluation.rules';
import { CheckInDto, LIMITS } from '../check-ins/check-ins.dto';
import { incoherences, WeekFacts } from '../check-ins/check-in.rules';
import { formText } from './validate-form';

/** The form speaks the API's language: the same field names and the same validation (CheckInDto). */
export const NUMBER_FIELDS = [
  { name: 'daysOpen', label: 'checkIn.daysOpen', max: 7 },
  { name: 'tenantsServing', label: 'checkIn.tenantsServing', max: LIMITS.tenants },
  { name: 'countersOpen', label: 'checkIn.countersOpen', max: LIMITS.counters },
  { name: 'visitors', label: 'checkIn.visitors', max: LIMITS.visitors },
  { name: 'transactions', label: 'checkIn.transactions', max: LIMITS.transactions },
] as const;
export const CHANNELS = ['direct', 'mobile', 'self', 'electronic'] as const;

export type FieldErrors = Record<string, string>;
export type FormValues = Record<string, unknown> & { channels?: Record<string, boolean> };

/** An MPP's registered tenant, as the form lists it (a checkbox each). */
export interface FormTenant {
  id: string;
  name: string;
}

/**
 * An urlencoded form (`channels.direct=on`) as the API's JSON body. A form that lists the MPP's
 * tenants as checkboxes (`tenantsNamed=1`) sends `tenantsServingIds` (once per ticked box) and no
 * count: the count follows from the names.
 */
export function formToBody(form: Record<string, unknown>): FormValues {
  const body: FormValues = {};
  const named = formText(form.tenantsNamed) === '1';
  for (const f of NUMBER_FIELDS) {
    if (named && f.name === 'tenantsServing') continue;
    const raw = formText(form[f.name]) ?? '';
    body[f.name] = raw === '' ? undefined : /^-?\d+$/.test(raw) ? Number(raw) : raw;
  }
  if (named) {
    const ticked = form.tenantsServingIds;
    body.tenantsServingIds = (Array.isArray(ticked) ? ticked : ticked === undefined ? [] : [ticked]).map(String);
  }
  body.channels = Object.fromEntries(CHANNELS.map((c) => [c, form[`channels.${c}`] === 'on' || form[`channels.${c}`] === 'true']));
  body.status = formText(form.status);
  body.closureReason = formText(form.closureReason) ?? null;
  body.problems = formText(form.problems) ?? null;
  return body;
}

/** Field-level messages (keys into the page texts) from the API's own validation rules. */
export async function validateBody(body: FormValues): Promise<{ dto: CheckInDto | null; errors: FieldErrors }> {
  const dto = plainToInstance(CheckInDto, body);
  const problems = await validate(dto, { whitelist: true, forbidUnknownValues: true });
  const errors: FieldErrors = {};
  for (const p of problems) {
    const kinds = Object.keys(p.constraints ?? {});
    errors[p.property] = messageFor(p.property, kinds, body[p.property]);
  }
  return { dto: Object.keys(errors).length ? null : dto, errors };
}

/** A check-in's contradictions (check-in rules) as field messages: `error.incoherent.<code>`. */
export function incoherentFields(dto: CheckInDto, facts: WeekFacts): FieldErrors {
  const errors: FieldErrors = {};
  for (const i of incoherences(dto, facts)) errors[i.field] ??= `error.incoherent.${i.code}`;
  return errors;
}

export function messageFor(field: string, constraints: string[], value?: unknown): string {
  if (value === undefined && field !== 'closureReason') return 'error.required';
  if (field === 'daysOpen') return 'error.daysOpen';
  if (field === 'tenantsServingIds') return 'error.tenantsServingIds';
  if (field === 'closureReason') return constraints.includes('maxLength') ? 'error.tooLong' : 'error.closureReason';
  if (constraints.includes('isIn')) return 'error.choice';
  if (constraints.includes('maxLength')) return 'error.tooLong';
  if (constraints.includes('max')) return 'error.max';
  if (constraints.includes('isInt') || constraints.includes('min')) return 'error.integer';
  return 'error.invalid';
}

/** What the template needs to draw the form: values (submitted, current or last week's) and errors. */
export function formModel(values: FormValues | null, errors: FieldErrors, tenants: FormTenant[] = []) {
  const v = values ?? {};
  const ticked = new Set(Array.isArray(v.tenantsServingIds) ? (v.tenantsServingIds as string[]) : []);
  return {
    // An MPP with registered tenants names them (checkboxes); one without gives the count (as does
    // an older form whose count was refused: it is shown back with its message).
    numberFields: NUMBER_FIELDS.filter((f) => !(tenants.length && f.name === 'tenantsServing' && !errors.tenantsServing)).map((f) => ({
      ...f,
      value: v[f.name] ?? '',
      error: errors[f.name],
    })),
    tenants: tenants.map((t) => ({ id: t.id, name: t.name, checked: ticked.has(t.id) })),
    channels: CHANNELS.map((c) => ({ name: c, label: `checkIn.channel.${c}`, checked: !!v.channels?.[c] })),
    statuses: CHECK_IN_STATUSES.map((s) => ({ value: s, label: `checkIn.status.${s}`, selected: (v.status ?? 'normal') === s })),
    values: { closureReason: v.closureReason ?? '', problems: v.problems ?? '' },
    errors,
  };
}
