import Papa from 'papaparse';
import writeXlsxFile, { Row } from 'write-excel-file/node';
import { RESULTS } from '../cycles/evaluation.rules';
import { Labels, labelOf, loadLabels } from '../../common/i18n/labels';
import { Locale } from '../../common/i18n/locale';
import { placeName } from '../../common/i18n/place-name';
import { MppWeekRow, WeeklyFigures, WeeklyReport } from './reports.types';

export interface ReportFile {
  filename: string;
  contentType: string;
  body: Buffer;
}

type Kind = 'text' | 'int' | 'rate';
interface Column<T> {
  header: Record<Locale, string>;
  kind: Kind;
  value: (row: T, labels: Labels) => string | number | null;
  width?: number;
}
type ProvinceRow = WeeklyFigures & { provinceCode: string; name: string };

/** Result columns are headed with the results' own words (the shared labels, short form). */
const resultHeader = (result: string): Record<Locale, string> => ({
  id: labelOf(loadLabels('id'), 'results', result),
  en: labelOf(loadLabels('en'), 'results', result),
});

const PROVINCE_COLUMNS: Column<ProvinceRow>[] = [
  { header: { id: 'Kode provinsi', en: 'Province code' }, kind: 'text', value: (r) => r.provinceCode, width: 10 },
  { header: { id: 'Provinsi', en: 'Province' }, kind: 'text', value: (r) => r.name, width: 28 },
  { header: { id: 'MPP wajib lapor', en: 'MPPs expected' }, kind: 'int', value: (r) => r.expected },
  { header: { id: 'Melapor', en: 'Reported' }, kind: 'int', value: (r) => r.reported },
  { header: { id: 'Tepat waktu', en: 'On time' }, kind: 'int', value: (r) => r.onTime },
  { header: { id: 'Tingkat pelaporan', en: 'Reporting rate' }, kind: 'rate', value: (r) => r.reportingRate },
  { header: { id: 'Tingkat tepat waktu', en: 'On-time rate' }, kind: 'rate', value: (r) => r.onTimeRate },
  ...RESULTS.map((result): Column<ProvinceRow> => ({ header: resultHeader(result), kind: 'int', value: (r) => r.counts[result] })),
  { header: { id: 'Tanda terbuka', en: 'Open flags' }, kind: 'int', value: (r) => r.openFlags },
  { header: { id: 'Tanda lebih dari 2 minggu', en: 'Flags older than 2 weeks' }, kind: 'int', value: (r) => r.flagsOlderThan2Weeks },
  { header: { id: 'Laporan dibantah', en: 'Disputed reports' }, kind: 'int', value: (r) => r.disputed },
  { header: { id: 'Laporan warga', en: "Citizens' reports" }, kind: 'int', value: (r) => r.citizenReports },
];

const yesNo = (v: boolean | null, labels: Labels) => (v === null ? null : (labels.words?.[v ? 'yes' : 'no'] ?? String(v)));

const MPP_COLUMNS: Column<MppWeekRow & { provinceName: string }>[] = [
  { header: { id: 'Kode provinsi', en: 'Province code' }, kind: 'text', value: (r) => r.provinceCode, width: 10 },
  { header: { id: 'Provinsi', en: 'Province' }, kind: 'text', value: (r) => placeName(r.provinceName), width: 24 },
  { header: { id: 'Kode kab/kota', en: 'Regency code' }, kind: 'text', value: (r) => r.regencyCode, width: 10 },
  { header: { id: 'Kabupaten/Kota', en: 'Regency/city' }, kind: 'text', value: (r) => placeName(r.regencyName), width: 28 },
  { header: { id: 'MPP', en: 'MPP' }, kind: 'text', value: (r) => r.name, width: 36 },
  { header: { id: 'Hasil', en: 'Result' }, kind: 'text', value: (r, l) => l.results?.[r.result] ?? r.result, width: 16 },
  { header: { id: 'Alasan', en: 'Reasons' }, kind: 'text', value: (r, l) => r.rules.map((c) => l.rules?.[c] ?? c).join('; '), width: 40 },
  { header: { id: 'Hari wajib buka', en: 'Days expected' }, kind: 'int', value: (r) => r.expectedDays },
  { header: { id: 'Melapor', en: 'Reported' }, kind: 'text', value: (r, l) => yesNo(r.reported, l) },
  { header: { id: 'Tepat waktu', en: 'On time' }, kind: 'text', value: (r, l) => yesNo(r.onTime, l) },
  { header: { id: 'Hari buka', en: 'Days open' }, kind: 'int', value: (r) => r.daysOpen },
  { header: { id: 'Instansi melayani', en: 'Tenants serving' }, kind: 'int', value: (r) => r.tenantsServing },
  { header: { id: 'Pengunjung', en: 'Visitors' }, kind: 'int', value: (r) => r.visitors },
  { header: { id: 'Transaksi', en: 'Transactions' }, kind: 'int', value: (r) => r.transactions },
  {
    header: { id: 'Status tanda', en: 'Flag state' },
    kind: 'text',
    value: (r, l) => (r.flagState ? (l.states?.[r.flagState] ?? r.flagState) : null),
    width: 20,
  },
];

/** File names say what, which week and whose: mpp-laporan-mingguan-2026-W48-nasional.xlsx. */
function filename(report: WeeklyReport, locale: Locale, ext: string, scope: string): string {
  const what = locale === 'id' ? 'mpp-laporan-mingguan' : 'mpp-weekly-report';
  return `${what}-${report.week}-${scope}.${ext}`;
}

function provinceRows(report: WeeklyReport, locale: Locale): ProvinceRow[] {
  const national = { provinceCode: '', name: locale === 'id' ? 'NASIONAL' : 'NATIONAL', ...report.national };
  return [...report.provinces.map((p) => ({ ...p, name: placeName(p.name) })), national];
}

function mppRows(report: WeeklyReport): (MppWeekRow & { provinceName: string })[] {
  return report.provinces.flatMap((p) => (p.mpps ?? []).map((m) => ({ ...m, provinceName: p.name })));
}

/** CSV: the province table (national total last), or every MPP with `detail=mpps`. UTF-8 with BOM for Excel. */
export function weeklyCsv(report: WeeklyReport, locale: Locale, detail: boolean, scope: string): ReportFile {
  const labels = loadLabels(locale);
  const table = <T>(columns: Column<T>[], rows: T[]) =>
    Papa.unparse(
      { fields: columns.map((c) => c.header[locale]), data: rows.map((r) => columns.map((c) => c.value(r, labels) ?? '')) },
      // A cell starting with = + - @ would run as a formula in Excel: an MPP named '=HYPERLINK(…)' must stay text.
      { escapeFormulae: true },
    );
  const csv = detail ? table(MPP_COLUMNS, mppRows(report)) : table(PROVINCE_COLUMNS, provinceRows(report, locale));
  return {
    filename: filename(report, locale, 'csv', detail ? `${scope}-mpp` : scope),
    contentType: 'text/csv; charset=utf-8',
    body: Buffer.from(`\ufeff${csv}\r\n`),
  };
}

/** XLSX: a province sheet and an MPP sheet, header row and name column frozen, numbers formatted. */
export async function weeklyXlsx(report: WeeklyReport, locale: Locale, scope: string): Promise<ReportFile> {
  const labels = loadLabels(locale);
  const sheet = <T>(name: string, columns: Column<T>[], rows: T[], bold?: (r: T) => boolean) => ({
    sheet: name,
    stickyRowsCount: 1,
    stickyColumnsCount: 2,
    columns: columns.map((c) => ({ width: c.width ?? (c.kind === 'text' ? 14 : 12) })),
    data: [
      columns.map((c) => ({ value: c.header[locale], fontWeight: 'bold' as const, wrap: true })),
      ...rows.map((r): Row => columns.map((c) => cell(c.kind, c.value(r, labels), bold?.(r) ?? false))),
    ],
  });
  const provinces = provinceRows(report, locale);
  const body = await writeXlsxFile([
    sheet(locale === 'id' ? 'Provinsi' : 'Provinces', PROVINCE_COLUMNS, provinces, (r) => r.provinceCode === ''),
    sheet('MPP', MPP_COLUMNS, mppRows(report)),
  ]).toBuffer();
  return {
    filename: filename(report, locale, 'xlsx', scope),
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    body,
  };
}

function cell(kind: Kind, value: string | number | null, bold: boolean): Row[number] {
  if (value === null || value === undefined) return null;
  const weight = bold ? { fontWeight: 'bold' as const } : {};
  if (kind === 'text') return { value: String(value), type: String, ...weight };
  return { value: Number(value), type: Number, format: kind === 'rate' ? '0.0%' : '#,##0', ...weight };
}
