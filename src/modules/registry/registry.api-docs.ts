import type { OperationDoc } from '../../common/http/api-doc';

const COLUMNS =
  '`kode_wilayah, nama_mpp, alamat, tanggal_peresmian, hari_buka, kanal, instansi, email_pengelola, nama_pengelola, telepon_pengelola, lintang, bujur` (header row, any order; only the first two are required, an absent column keeps the registry’s value)';

/** The OpenAPI text of registry.controller.ts. */
export const REGISTRY_API = {
  import: {
    summary: 'Import the MPP registry from a spreadsheet',
    description: `Admin. Body: a CSV (\`text/csv\`, UTF-8, comma or semicolon) or an XLSX workbook (first sheet), up to 10 MiB, with the columns ${COLUMNS}. A row is one MPP matched on \`kode_wilayah\` + \`nama_mpp\` (case-insensitive): new ones are created, the others updated (tenants replaced by the file's; a tenant still listed, by name or as the only one of its agency, keeps its id, so check-ins naming it stay linked). \`hari_buka\` is \`1-5\`, \`1-6\` or a list (\`1,3,5\`), empty = Monday–Friday; \`kanal\` is \`langsung;bergerak;mandiri;elektronik\`; \`instansi\` is \`Disdukcapil: KTP, KK; Polres: SKCK\`. Several managers are separated by \`;\` in the three manager columns, in the same order; new managers are created \`invited\` and emailed a set-password link, managers not in the file keep their MPPs; without a \`telepon_pengelola\` column existing phones are kept (an empty cell in the column clears one). \`lintang\`/\`bujur\` are the MPP's coordinates in degrees (\`-10.1772\`, \`123.607\`; a decimal comma is read too), both or neither, within Indonesia. Every row is checked first; with any error (rows numbered as in the spreadsheet, header = 1), or with \`dryRun=true\`, nothing is written. The write is one transaction; importing the same file again changes nothing. Tenant names matching no agency are kept and listed in \`unmatchedTenants\`. Audited as registry.import.`,
    response: {
      dryRun: false,
      rows: 10,
      created: 9,
      updated: 1,
      unchanged: 0,
      managersInvited: 10,
      managersLinked: 0,
      unmatchedTenants: [{ name: 'Koperasi Pegawai', rows: [4] }],
      outcomes: [
        { row: 2, regencyCode: '11.04', name: 'MPP Kabupaten Aceh Tengah', outcome: 'create' },
        { row: 3, regencyCode: '53.71', name: 'MPP Kota Kupang', outcome: 'update' },
      ],
      errors: [],
    },
    errors: [400, 403, 413, 415],
  },
  export: {
    summary: 'Export the MPP registry as a spreadsheet',
    description: `Admin, ministry. Every MPP with the import's columns (${COLUMNS}), so an export imports back unchanged. \`?format=csv\` (default) or \`xlsx\`. Read only.`,
    responseDescription: 'The registry file (text/csv or XLSX), one MPP per row',
    errors: [400, 403],
  },
  template: {
    summary: 'An empty registry file to fill in',
    description: 'Admin, ministry. The header row of the import, as `?format=csv` (default) or `xlsx`. Read only.',
    responseDescription: 'The header row as a file',
    errors: [400, 403],
  },
} satisfies Record<string, OperationDoc>;
