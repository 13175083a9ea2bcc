import { CoordinateProblem, coordinateProblems, fieldOf, INDONESIA, parseCoordinate } from '../mpps/coordinates.rules';

/**
 * The registry file (CSV or XLSX) as rows of text, checked and turned into MPPs with their
 * tenants and managers. Pure: no Nest, no database; what needs the database (regency codes,
 * existing users) is passed in. Problems are in Bahasa Indonesia, for the operator who fixes the file.
 */
export const REGISTRY_COLUMNS = [
  'kode_wilayah',
  'nama_mpp',
  'alamat',
  'tanggal_peresmian',
  'hari_buka',
  'kanal',
  'instansi',
  'email_pengelola',
  'nama_pengelola',
  'telepon_pengelola',
  'lintang',
  'bujur',
] as const;
export type RegistryColumn = (typeof REGISTRY_COLUMNS)[number];
const REQUIRED: RegistryColumn[] = ['kode_wilayah', 'nama_mpp'];

type ChannelCode = 'direct' | 'mobile' | 'self' | 'electronic';
/** The file's words for the four channels (DOMAIN.md), in the order an export writes them. */
export const CHANNEL_WORDS: [string, ChannelCode][] = [
  ['langsung', 'direct'],
  ['bergerak', 'mobile'],
  ['mandiri', 'self'],
  ['elektronik', 'electronic'],
];
const CHANNEL_OF = new Map<string, ChannelCode>([...CHANNEL_WORDS, ...CHANNEL_WORDS.map(([, c]) => [c, c] as [string, ChannelCode])]);

const COORDINATE_WORDS: Record<CoordinateProblem, string> = {
  latitude_range: `lintang di luar wilayah Indonesia (${INDONESIA.minLatitude} sampai ${INDONESIA.maxLatitude}); periksa tanda minus atau tertukar dengan bujur`,
  longitude_range: `bujur di luar wilayah Indonesia (${INDONESIA.minLongitude} sampai ${INDONESIA.maxLongitude}); periksa apakah tertukar dengan lintang`,
  latitude_without_longitude: 'lintang diisi tetapi bujur kosong; isi keduanya atau kosongkan keduanya',
  longitude_without_latitude: 'bujur diisi tetapi lintang kosong; isi keduanya atau kosongkan keduanya',
};

export const MAX_ROWS = 5000;
const MAX_TENANTS = 200;
const DEFAULT_OPENING_DAYS = [1, 2, 3, 4, 5];
const EMAIL = /^[^\s@;,]+@[^\s@;,]+\.[^\s@;,]+$/;

export interface RegistryError {
  /** The spreadsheet's row number: the header is row 1, the first MPP row 2. */
  row: number;
  column: string;
  problem: string;
}

export interface RegistryManager {
  email: string;
  name: string | null;
  /** Undefined when the file has no phone column: the account keeps its phone. An empty cell clears it. */
  phone?: string | null;
}

export interface RegistryTenant {
  name: string;
  services: string[];
}

/** One MPP of the file. A field is undefined when its column is not in the file (the registry keeps its value). */
export interface RegistryRow {
  row: number;
  regencyCode: string;
  name: string;
  address?: string | null;
  inauguratedOn?: string | null;
  openingDays?: number[];
  channels?: ChannelCode[];
  tenants?: RegistryTenant[];
  managers?: RegistryManager[];
  /** Both undefined when the file has neither column. */
  latitude?: number | null;
  longitude?: number | null;
}

/** A cell as the file gave it: text from CSV; text, number, date or boolean from XLSX. */
export type Cell = string | number | boolean | Date | null | undefined;

/** Text of a cell; a formula guard (`'+62…` written by an export) is taken off again. */
export function cellText(cell: Cell, column?: string): string {
  if (cell === null || cell === undefined) return '';
  if (cell instanceof Date) return isNaN(cell.getTime()) ? '' : cell.toISOString().slice(0, 10);
  if (typeof cell === 'number' && column === 'kode_wilayah') return cell.toFixed(2).padStart(5, '0');
  const text = String(cell).trim();
  return /^'[=+\-@\t\r]/.test(text) ? text.slice(1) : text;
}

export function parseRegistry(table: Cell[][]): { rows: RegistryRow[]; errors: RegistryError[] } {
  const errors: RegistryError[] = [];
  const [header = [], ...body] = table;
  const columns = header.map((c) =>
    cellText(c)
      .toLowerCase()
      .replace(/^\ufeff/, ''),
  );
  const index = new Map<string, number>();
  columns.forEach((name, i) => {
    if (!name) return;
    if (!(REGISTRY_COLUMNS as readonly string[]).includes(name))
      errors.push({ row: 1, column: name, problem: `kolom "${name}" tidak dikenal; kolom yang dipakai: ${REGISTRY_COLUMNS.join(', ')}` });
    else if (index.has(name)) errors.push({ row: 1, column: name, problem: `kolom "${name}" muncul dua kali` });
    else index.set(name, i);
  });
  for (const column of REQUIRED)
    if (!index.has(column)) errors.push({ row: 1, column, problem: `kolom wajib "${column}" tidak ada di baris judul` });
  if (index.has('lintang') !== index.has('bujur'))
    errors.push({ row: 1, column: index.has('lintang') ? 'bujur' : 'lintang', problem: 'kolom "lintang" dan "bujur" dipakai bersama' });
  if (errors.length) return { rows: [], errors };
  const filled = body.map((cells, i) => ({ cells, row: i + 2 })).filter(({ cells }) => cells.some((c) => cellText(c) !== ''));
  if (filled.length > MAX_ROWS)
    return { rows: [], errors: [{ row: 1, column: '', problem: `berkas berisi lebih dari ${MAX_ROWS} baris` }] };

  const rows: RegistryRow[] = [];
  const seen = new Map<string, number>();
  for (const { cells, row } of filled) {
    const get = (column: RegistryColumn) => (index.has(column) ? cellText(cells[index.get(column)!], column) : undefined);
    const has = (column: RegistryColumn) => index.has(column);
    const problem = (column: string, text: string) => errors.push({ row, column, problem: text });
    const before = errors.length;

    const regencyCode = get('kode_wilayah')!;
    if (!regencyCode) problem('kode_wilayah', 'kode wilayah wajib diisi (mis. 53.71)');
    else if (!/^\d{2}\.\d{2}$/.test(regencyCode)) problem('kode_wilayah', `kode wilayah "${regencyCode}" harus berbentuk 53.71`);
    const name = get('nama_mpp')!.replace(/\s+/g, ' ');
    if (name.length < 3 || name.length > 200) problem('nama_mpp', 'nama MPP wajib diisi (3–200 huruf)');
    const key = `${regencyCode}|${name.toLowerCase()}`;
    if (regencyCode && name && seen.has(key)) problem('nama_mpp', `MPP yang sama sudah ada di baris ${seen.get(key)} berkas ini`);
    else seen.set(key, row);

    const parsed: RegistryRow = { row, regencyCode, name };
    if (has('alamat')) {
      parsed.address = get('alamat') || null;
      if ((parsed.address?.length ?? 0) > 500) problem('alamat', 'alamat paling panjang 500 huruf');
    }
    if (has('tanggal_peresmian')) {
      const date = get('tanggal_peresmian')!;
      parsed.inauguratedOn = date || null;
      if (date && !isDate(date)) problem('tanggal_peresmian', `tanggal peresmian "${date}" tidak sah; tulis TTTT-BB-HH (mis. 2023-10-31)`);
    }
    if (has('hari_buka')) {
      const days = parseDays(get('hari_buka')!);
      if (days) parsed.openingDays = days;
      else problem('hari_buka', `hari buka "${get('hari_buka')}" tidak sah; tulis 1-5 (Senin–Jumat), 1-6 (Senin–Sabtu) atau mis. 1,3,5`);
    }
    if (has('kanal')) {
      const words = splitList(get('kanal')!, /[;,]/).map((w) => w.toLowerCase());
      const unknown = words.filter((w) => !CHANNEL_OF.has(w));
      if (unknown.length)
        problem('kanal', `kanal "${unknown.join('", "')}" tidak dikenal; gunakan langsung, bergerak, mandiri, elektronik`);
      const codes = new Set(words.map((w) => CHANNEL_OF.get(w)).filter((c): c is ChannelCode => !!c));
      parsed.channels = CHANNEL_WORDS.map(([, c]) => c).filter((c) => codes.has(c));
    }
    if (has('instansi')) {
      const tenants = parseTenants(get('instansi')!);
      if (typeof tenants === 'string') problem('instansi', tenants);
      else parsed.tenants = tenants;
    }
    if (has('email_pengelola')) {
      const managers = parseManagers(get('email_pengelola')!, get('nama_pengelola') ?? '', get('telepon_pengelola'));
      if (typeof managers === 'string') problem('email_pengelola', managers);
      else parsed.managers = managers;
    }
    if (has('lintang')) {
      const latitude = parseCoordinate(get('lintang')!);
      const longitude = parseCoordinate(get('bujur')!);
      if (latitude === 'invalid') problem('lintang', `lintang "${get('lintang')}" bukan angka derajat (mis. -10.1772)`);
      if (longitude === 'invalid') problem('bujur', `bujur "${get('bujur')}" bukan angka derajat (mis. 123.607)`);
      if (latitude !== 'invalid' && longitude !== 'invalid') {
        for (const p of coordinateProblems(latitude, longitude))
          problem(fieldOf(p) === 'latitude' ? 'lintang' : 'bujur', COORDINATE_WORDS[p]);
        parsed.latitude = latitude;
        parsed.longitude = longitude;
      }
    }
    if (errors.length === before) rows.push(parsed);
  }
  return { rows, errors };
}

function isDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text && text >= '1990-01-01' && text <= '2100-12-31';
}

function splitList(text: string, by: RegExp | string): string[] {
  return text
    .split(by)
    .map((s) => s.trim().replace(/\s+/g, ' '))
    .filter(Boolean);
}

/** `1-5`, `1-6`, `1,3,5`, `1-5,7`; empty means the default, Monday to Friday. */
export function parseDays(text: string): number[] | null {
  if (!text.trim()) return DEFAULT_OPENING_DAYS;
  const days = new Set<number>();
  for (const part of splitList(text, /[,;]/)) {
    const m = /^([1-7])(?:\s*[-–]\s*([1-7]))?$/.exec(part);
    if (!m) return null;
    const from = Number(m[1]);
    const to = Number(m[2] ?? m[1]);
    if (to < from) return null;
    for (let d = from; d <= to; d++) days.add(d);
  }
  return [...days].sort((a, b) => a - b);
}

/** The shortest spelling of opening days: [1,2,3,4,5] → `1-5`, [1,3,5] → `1,3,5`. */
export function formatDays(days: number[]): string {
  const sorted = [...new Set(days)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(j > i ? `${sorted[i]}-${sorted[j]}` : `${sorted[i]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** `Disdukcapil: KTP, KK; Polres: SKCK; Bank NTT` → tenants in the file's order. */
export function parseTenants(text: string): RegistryTenant[] | string {
  const tenants: RegistryTenant[] = [];
  for (const part of splitList(text, ';')) {
    const colon = part.indexOf(':');
    const name = (colon < 0 ? part : part.slice(0, colon)).trim();
    const services = colon < 0 ? [] : splitList(part.slice(colon + 1), ',');
    if (!name) return `instansi "${part}" tanpa nama; tulis mis. "Disdukcapil: KTP, KK; Polres: SKCK"`;
    if (name.length > 200 || services.some((s) => s.length > 200)) return 'nama instansi dan layanan paling panjang 200 huruf';
    if (tenants.some((t) => t.name.toLowerCase() === name.toLowerCase())) return `instansi "${name}" tertulis dua kali`;
    tenants.push({ name, services });
  }
  if (tenants.length > MAX_TENANTS) return `paling banyak ${MAX_TENANTS} instansi per MPP`;
  return tenants;
}

export function formatTenants(tenants: RegistryTenant[]): string {
  return tenants.map((t) => (t.services.length ? `${t.name}: ${t.services.join(', ')}` : t.name)).join('; ');
}

/** Several managers are separated by `;` in all three columns, in the same order. */
function parseManagers(emails: string, names: string, phones: string | undefined): RegistryManager[] | string {
  const e = emails.split(';').map((s) => s.trim().toLowerCase());
  const n = names.split(';').map((s) => s.trim().replace(/\s+/g, ' '));
  const p = (phones ?? '').split(';').map((s) => s.trim());
  if (!emails.trim()) return names.trim() ? 'nama pengelola diisi tetapi email pengelola kosong' : [];
  const managers: RegistryManager[] = [];
  for (let i = 0; i < e.length; i++) {
    if (!EMAIL.test(e[i]) || e[i].length > 254) return `email pengelola "${e[i]}" tidak sah`;
    if (managers.some((m) => m.email === e[i])) return `email pengelola "${e[i]}" tertulis dua kali`;
    if ((n[i] ?? '').length > 200 || (p[i] ?? '').length > 50) return 'nama pengelola paling panjang 200 huruf, telepon 50';
    managers.push({ email: e[i], name: n[i] || null, ...(phones === undefined ? {} : { phone: p[i] || null }) });
  }
  return managers;
}
