import Papa from 'papaparse';
import type { SheetData as SheetRead } from 'read-excel-file/node';
import writeXlsxFile, { type SheetData } from 'write-excel-file/node';
import { REGISTRY_COLUMNS } from '../../src/modules/registry/registry.rules';

/** The registry file's header row: every column the import reads, in the template's order. */
export const REGISTRY_HEADER: readonly string[] = REGISTRY_COLUMNS;

/** A registry CSV of `rows` under `header` (no BOM, no formula guard: cells exactly as a person types them). */
export function registryCsv(rows: string[][], header: readonly string[] = REGISTRY_HEADER): string {
  return Papa.unparse({ fields: [...header], data: rows });
}

/** A registry XLSX of `rows` under `header`, every cell as text and an empty cell left blank. */
export function registryXlsx(rows: string[][], header: readonly string[] = REGISTRY_HEADER): Promise<Buffer> {
  const sheet: SheetData = [[...header], ...rows].map((r) => r.map((value) => (value === '' ? null : { value, type: String })));
  return writeXlsxFile(sheet).toBuffer();
}

/** The data rows of a sheet read back, each cell as text ('' for an empty one), in `header`'s columns. */
export function textRows(sheet: SheetRead, header: readonly string[] = REGISTRY_HEADER): string[][] {
  return sheet.slice(1).map((r) => header.map((_, i) => (r[i] === null || r[i] === undefined ? '' : String(r[i]))));
}
