import { AppError } from '../../common/errors';
import { parseCoordinate } from '../mpps/coordinates.rules';
import { Channel, CHANNELS } from '../mpps/mpp.entities';
import type { MppView } from '../mpps/mpps.dto';
import { formText } from './validate-form';

/** Empty tenant rows under the registered ones, to add new tenants without a script. */
export const BLANK_TENANT_ROWS = 3;
/** More rows than an MPP may hold (200 tenants) plus the blanks: a row index beyond is not ours. */
const MAX_TENANT_ROWS = 210;
const DAYS = [1, 2, 3, 4, 5, 6, 7];

/** One tenant row of the admin's MPP form, as typed (services as one line of text). */
export interface TenantRow {
  id: string;
  agencyCode: string;
  name: string;
  services: string;
  remove: boolean;
}

/**
 * The MPP form's fields as text, to fill the form from the registry or show a refused one back.
 * A group the posted form did not carry (an older form, a script) is left as it is: unticked boxes
 * and a missing group look the same in a post, so the form says which groups it carries
 * (`has.openingDays`, `has.channels`, `has.tenants`; coordinates by their fields being there).
 */
export interface MppFormValues {
  carries: { openingDays: boolean; channels: boolean; tenants: boolean; coordinates: boolean };
  name: string;
  regencyCode: string;
  address: string;
  inauguratedOn: string;
  active: boolean;
  openingDays: number[];
  channels: string[];
  latitude: string;
  longitude: string;
  tenants: TenantRow[];
}

/** Field problems as page-text keys; a tenant row's under `tenant.<index>`. */
export type MppFormErrors = Record<string, string>;

/** The registry's MPP as the form shows it; coordinates with a decimal comma, as officials type them. */
export function mppFormValues(mpp: MppView): MppFormValues {
  const decimal = (n: number | null) => (n === null ? '' : String(n).replace('.', ','));
  return {
    carries: { openingDays: true, channels: true, tenants: true, coordinates: true },
    name: mpp.name,
    regencyCode: mpp.regencyCode,
    address: mpp.address ?? '',
    inauguratedOn: mpp.inauguratedOn ?? '',
    active: mpp.active,
    openingDays: mpp.openingDays,
    channels: mpp.channels,
    latitude: decimal(mpp.latitude),
    longitude: decimal(mpp.longitude),
    tenants: mpp.tenants.map((t) => ({
      id: t.id,
      agencyCode: t.agencyCode ?? '',
      name: t.name,
      services: t.services.join(', '),
      remove: false,
    })),
  };
}

/** A posted form (`openingDays` and `channels` once per ticked box, `tenant.<i>.<field>` per row). */
export function submittedMppForm(form: Record<string, unknown>): MppFormValues {
  const text = (v: unknown) => formText(v) ?? '';
  const many = (v: unknown) => (Array.isArray(v) ? v : v === undefined ? [] : [v]).map(String);
  const tenants: TenantRow[] = [];
  for (let i = 0; i < MAX_TENANT_ROWS; i++) {
    const field = (name: string) => form[`tenant.${i}.${name}`];
    if (!['id', 'agencyCode', 'name', 'services', 'remove'].some((name) => field(name) !== undefined)) continue;
    tenants.push({
      id: text(field('id')),
      agencyCode: text(field('agencyCode')),
      name: text(field('name')),
      services: text(field('services')),
      remove: field('remove') === 'on',
    });
  }
  return {
    carries: {
      openingDays: form['has.openingDays'] === '1',
      channels: form['has.channels'] === '1',
      tenants: form['has.tenants'] === '1',
      coordinates: 'latitude' in form || 'longitude' in form,
    },
    name: text(form.name),
    regencyCode: text(form.regencyCode),
    address: text(form.address),
    inauguratedOn: text(form.inauguratedOn),
    active: form.active === 'on',
    openingDays: many(form.openingDays).map(Number),
    channels: many(form.channels),
    latitude: text(form.latitude),
    longitude: text(form.longitude),
    tenants,
  };
}

/**
 * The form as the body of `PATCH /api/v1/mpps/{id}` (the same DTO and service), or the problems the
 * page can name before asking the service: a coordinate that is no number, a tenant row with
 * services but no name. Rows ticked "hapus" and empty rows are left out: the list sent is the new
 * list, and each registered row carries its id so a renamed tenant keeps it.
 */
export function mppFormBody(values: MppFormValues): { body: Record<string, unknown>; errors: MppFormErrors } {
  const errors: MppFormErrors = {};
  const coordinate = (field: 'latitude' | 'longitude') => {
    const parsed = parseCoordinate(values[field]);
    if (parsed === 'invalid') errors[field] = `error.field.${field}`;
    return parsed === 'invalid' ? undefined : parsed;
  };
  const tenants = values.tenants.flatMap((row, index) => {
    if (row.remove || (!row.name && !row.services && !row.agencyCode)) return [];
    if (!row.name) {
      errors[`tenant.${index}`] = 'error.field.tenantName';
      return [];
    }
    const services = row.services
      .split(/[,;]/)
      .map((s) => s.trim())
      .filter(Boolean);
    return [{ ...(row.id ? { id: row.id } : {}), name: row.name, services, agencyCode: row.agencyCode || null }];
  });
  const body = {
    name: values.name || undefined,
    regencyCode: values.regencyCode || undefined,
    address: values.address || null,
    inauguratedOn: values.inauguratedOn || undefined,
    active: values.active,
    ...(values.carries.openingDays ? { openingDays: values.openingDays } : {}),
    ...(values.carries.channels ? { channels: values.channels } : {}),
    ...(values.carries.coordinates ? { latitude: coordinate('latitude'), longitude: coordinate('longitude') } : {}),
    ...(values.carries.tenants ? { tenants } : {}),
  };
  return { body, errors };
}

/** Fields of the MPP form with words of their own (`error.field.<name>`); others are `error.invalid`. */
const MPP_FIELDS = new Set([
  'name',
  'regencyCode',
  'address',
  'inauguratedOn',
  'openingDays',
  'channels',
  'latitude',
  'longitude',
  'tenants',
]);

/** The service's refusal as field problems: its details name the fields, the page words name the problem. */
export function mppFormErrors(e: AppError): MppFormErrors {
  const errors: MppFormErrors = {};
  for (const d of e.details) if (d.field && MPP_FIELDS.has(d.field)) errors[d.field] = `error.field.${d.field}`;
  if (!Object.keys(errors).length) errors.form = e.statusCode === 409 ? 'error.conflict' : 'error.invalid';
  return errors;
}

/** What the template draws: the values, the boxes ticked, the agency chosen per row, the errors. */
export function mppFormModel(values: MppFormValues, errors: MppFormErrors, agencies: { code: string; name: string }[]) {
  const row = (t: TenantRow, index: number) => ({
    ...t,
    index,
    error: errors[`tenant.${index}`],
    agencies: agencies.map((a) => ({ ...a, selected: a.code === t.agencyCode })),
  });
  const blank: TenantRow = { id: '', agencyCode: '', name: '', services: '', remove: false };
  const rows = [...values.tenants];
  // Rows typed but refused come back as typed; there are always a few blank rows to add more.
  while (rows.filter((t) => !t.id && !t.name && !t.services && !t.agencyCode).length < BLANK_TENANT_ROWS) rows.push(blank);
  return {
    values,
    errors,
    hasErrors: Object.keys(errors).length > 0,
    days: DAYS.map((d) => ({ value: d, label: `status.day.${d}`, checked: values.openingDays.includes(d) })),
    channels: CHANNELS.map((c: Channel) => ({ value: c, label: `checkIn.channel.${c}`, checked: values.channels.includes(c) })),
    tenants: rows.map(row),
  };
}
