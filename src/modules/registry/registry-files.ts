import { AppError } from '../../common/errors';
import Papa from 'papaparse';
import { readSheet } from 'read-excel-file/node';
import writeXlsxFile from 'write-excel-file/node';
import { Cell } from './registry.rules';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export type RegistryFormat = 'csv' | 'xlsx';

/** The file's table: CSV (UTF-8, comma or semicolon, as Excel writes it in an Indonesian locale) or the first sheet of an XLSX. */
export async function readTable(body: Buffer, format: RegistryFormat): Promise<Cell[][]> {
  if (format === 'xlsx') return (await readSheet(body)) as Cell[][];
  const text = body.toString('utf8').replace(/^\ufeff/, '');
  const parsed = Papa.parse<string[]>(text, { skipEmptyLines: 'greedy', delimitersToGuess: [',', ';', '\t'] });
  return parsed.data;
}

/** CSV with a BOM (Excel reads it as UTF-8); a cell that would run as a formula is guarded with `'`, which the import takes off. */
export function csvOf(header: readonly string[], rows: string[][]): Buffer {
  return Buffer.from(`\ufeff${Papa.unparse({ fields: [...header], data: rows }, { escapeFormulae: true })}\r\n`);
}

/** Every cell as text, so codes (11.10), days (1-5) and dates stay as written when the file comes back. */
export async function xlsxOf(header: readonly string[], rows: string[][], sheet = 'MPP'): Promise<Buffer> {
  return writeXlsxFile([
    {
      sheet,
      stickyRowsCount: 1,
      columns: header.map((h) => ({ width: h === 'instansi' ? 60 : h === 'nama_mpp' || h === 'alamat' ? 36 : 18 })),
      data: [
        header.map((h) => ({ value: h, type: String, fontWeight: 'bold' as const })),
        ...rows.map((r) => r.map((value) => (value === '' ? null : { value, type: String }))),
      ],
    },
  ] as never).toBuffer();
}

/** Uploads up to 10 MiB (300 MPPs with 40 tenants each are well under 1 MiB). */
export const UPLOAD_LIMIT_BYTES = 10 * 1024 * 1024;

/** The format a request's content type names; anything else is 415. */
export function formatOfUpload(contentType: string | undefined): RegistryFormat {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'text/csv') return 'csv';
  if (type === XLSX_TYPE) return 'xlsx';
  throw new AppError(415, 'unsupported_media_type', `Send the registry as text/csv or ${XLSX_TYPE}`);
}
