import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { readSheet } from 'read-excel-file/node';
import type { AgencyView } from '../src/modules/agencies/agencies.dto';
import type { MppView } from '../src/modules/mpps/mpps.dto';
import type { AgencyReport } from '../src/modules/reports/agency-report.service';
import type { ImportResult } from '../src/modules/registry/registry.dto';
import { XLSX_TYPE as XLSX } from '../src/modules/registry/registry-files';
import type { UserView } from '../src/modules/users/users.dto';
import { ADMIN, type TestApp } from './support/app';
import { REGISTRY_HEADER as HEADER, registryCsv as csvOf, registryXlsx as xlsxOf, textRows } from './support/registry-files';
import { Scenario } from './support/scenario';

const AGENCY_NAMES = [
  'Disdukcapil',
  'Polres',
  'Imigrasi',
  'KPP Pratama',
  'BPJS Kesehatan',
  'BPJS Ketenagakerjaan',
  'Samsat',
  'ATR/BPN',
  'Kemenag',
  'DPMPTSP',
  'Bank BRI',
  'Bank BNI',
  'Bank Mandiri',
  'BPD',
  'PLN',
  'PDAM',
  'Pengadilan Agama',
  'Kejaksaan Negeri',
  'Taspen',
  'Pos Indonesia',
];

/** 300 MPPs over all 38 provinces, 10–40 tenants each, 350 managers (50 MPPs have two), sorted as an export sorts. */
async function nationalRollout(t: TestApp): Promise<string[][]> {
  const regencies = await t.sql<{ code: string; province: string }>(`SELECT code, province_code AS province FROM regencies ORDER BY code`);
  const byProvince = new Map<string, string[]>();
  for (const r of regencies) byProvince.set(r.province, [...(byProvince.get(r.province) ?? []), r.code]);
  const picked: string[] = [];
  for (let round = 0; picked.length < 300; round++)
    for (const codes of byProvince.values()) if (codes[round] && picked.length < 300) picked.push(codes[round]);
  picked.sort();
  return picked.map((code, i) => {
    const tenants = Array.from({ length: 10 + (i % 31) }, (_, k) =>
      k < AGENCY_NAMES.length ? `${AGENCY_NAMES[k]}: Layanan ${k + 1}, Konsultasi` : `Koperasi Unit ${k}`,
    );
    const managers = [`pengelola.${code.replace('.', '')}@mpp.test`, ...(i % 6 === 0 ? [`wakil.${code.replace('.', '')}@mpp.test`] : [])];
    return [
      code,
      `MPP Nasional ${code}`,
      `Jl. Pelayanan No. ${i + 1}`,
      `202${3 + (i % 3)}-0${1 + (i % 9)}-1${i % 10}`,
      i % 3 === 0 ? '1-6' : '1-5',
      i % 2 ? 'langsung;elektronik' : 'langsung;bergerak;mandiri;elektronik',
      tenants.join('; '),
      managers.join(';'),
      managers.map((_, k) => `Pengelola ${k + 1} ${code}`).join(';'),
      managers.map((_, k) => `+62 812-000${k}-${String(i).padStart(4, '0')}`).join(';'),
      // Every fifth MPP with its coordinates (digits that print back as written).
      i % 5 === 0 ? `-${1 + (i % 9)}.${i}7` : '',
      i % 5 === 0 ? `${100 + (i % 40)}.${i}3` : '',
    ];
  });
}

describe('registry import and export (e2e)', () => {
  let sc: Scenario;
  const upload = (body: string | Buffer, type: string, dryRun = false) =>
    sc.admin.post<ImportResult>(`/api/v1/registry/import${dryRun ? '?dryRun=true' : ''}`, body, { headers: { 'content-type': type } });
  const count = async (table: string) => (await sc.t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0].n;
  /** The ten MPPs inaugurated on 31 October 2023, as shipped in docs/templates. */
  const shippedCsv = () => readFileSync(join(__dirname, '../docs/templates/mpp-peresmian-2023-10-31.csv'), 'utf8');

  beforeAll(async () => {
    sc = await Scenario.start({ at: '2026-11-27T02:00:00Z' });
  }, 60_000);
  afterAll(() => sc.close());

  it('imports the ten MPPs of 31 Oct 2023 from the shipped CSV, once; a second import changes nothing and the export is the file', async () => {
    const csv = shippedCsv();
    const mppsBefore = await count('mpps');
    const dry = await upload(csv, 'text/csv', true);
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ dryRun: true, rows: 10, created: 10, updated: 0, unchanged: 0, errors: [] });
    expect(dry.body.outcomes).toHaveLength(10);
    expect(dry.body.outcomes[0]).toEqual({ row: 2, regencyCode: '11.04', name: 'MPP Kabupaten Aceh Tengah', outcome: 'create' });
    expect(await count('mpps')).toBe(mppsBefore);

    const real = await upload(csv, 'text/csv');
    expect(real.body).toMatchObject({ dryRun: false, rows: 10, created: 10, managersInvited: 10, errors: [] });
    const kupang = (await sc.admin.get<MppView[]>('/api/v1/mpps?regency=53.71')).body[0];
    expect(kupang).toMatchObject({ name: 'MPP Kota Kupang', inauguratedOn: '2023-10-31', channels: ['direct', 'mobile', 'electronic'] });
    // Each tenant carries its id: a check-in names the tenants serving by it (tenantsServingIds).
    expect(kupang.tenants[1]).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'Polres',
      services: ['SKCK'],
      agencyCode: 'POLRI',
    });
    const manager = (await sc.admin.get<UserView[]>('/api/v1/users?role=manager')).body.find(
      (u) => u.email === 'pengelola.5371@mpp-contoh.go.id',
    );
    expect(manager).toMatchObject({ status: 'invited', mppIds: [kupang.id] });
    expect(await sc.t.sql(`SELECT count(*)::int AS n FROM notifications WHERE kind = 'account_invitation'`)).toEqual([{ n: 10 }]);
    // Tenants point at the national list: "Polres" is POLRI, "Samsat" SAMSAT.
    expect(
      await sc.t.sql(`SELECT name, agency_code FROM mpp_tenants WHERE mpp_id = $1 AND position < 3 ORDER BY position`, [kupang.id]),
    ).toEqual([
      { name: 'Disdukcapil', agency_code: 'DISDUKCAPIL' },
      { name: 'Polres', agency_code: 'POLRI' },
      { name: 'Samsat', agency_code: 'SAMSAT' },
    ]);

    const again = await upload(csv, 'text/csv');
    expect(again.body).toMatchObject({ rows: 10, created: 0, updated: 0, unchanged: 10, managersInvited: 0, errors: [] });
    expect(again.body.outcomes.map((o) => o.outcome)).toEqual(Array(10).fill('unchanged'));
    const exported = await sc.admin.get('/api/v1/registry/export?format=csv');
    expect(exported.headers['content-type']).toContain('text/csv');
    const parse = (text: string) => Papa.parse<string[]>(text.replace(/^\ufeff/, ''), { skipEmptyLines: true }).data;
    const sorted = (rows: string[][]) => [...rows].sort((a, b) => (a[0] + a[1]).localeCompare(b[0] + b[1]));
    expect(sorted(parse(exported.text))).toEqual(sorted(parse(csv)));
  }, 60_000);

  it('names every bad row and writes nothing: unknown regency, duplicate MPP, bad date, unknown channel, bad days, an email of another role', async () => {
    const bureau = await sc.user({ role: 'bureau', provinceCode: '53' });
    const good = [
      '53.71',
      'MPP Baru Kupang',
      '',
      '2024-01-02',
      '1-5',
      'langsung',
      'Polres: SKCK',
      'baru@mpp.test',
      'Pengelola Baru',
      '',
      '',
      '',
    ];
    const rows = [
      good,
      ['99.99', 'MPP Fiktif', '', '', '1-5', 'langsung', '', '', '', '', '', ''],
      ['53.71', 'mpp baru kupang', '', '', '1-5', 'langsung', '', '', '', '', '', ''],
      ['53.02', 'MPP Kabupaten Kupang', '', '2024-02-30', '1-5', 'langsung', '', '', '', '', '', ''],
      ['53.03', 'MPP Timor Tengah Selatan', '', '', '1-5', 'langsung;drive-thru', '', '', '', '', '', ''],
      ['53.04', 'MPP Timor Tengah Utara', '', '', 'Senin-Jumat', 'langsung', '', '', '', '', '', ''],
      ['53.05', 'MPP Belu', '', '', '1-5', 'langsung', '', bureau.email, 'Biro', '', '', ''],
      ['53.06', 'MPP Alor', '', '', '1-5', 'langsung', '', '', '', '', '10.17', '123.6'],
      ['53.07', 'MPP Lembata', '', '', '1-5', 'langsung', '', '', '', '', '-8.4', ''],
      ['53.08', 'MPP Flores Timur', '', '', '1-5', 'langsung', '', '', '', '', '-8,3', '122°58'],
    ];
    const before = { mpps: await count('mpps'), users: await count('users'), audit: await count('audit_log') };
    const res = await upload(csvOf(rows), 'text/csv');
    expect(res.status).toBe(200);
    const body = res.body;
    expect(body).toMatchObject({ dryRun: false, rows: 10 });
    expect(body.errors.map((e) => [e.row, e.column])).toEqual([
      [3, 'kode_wilayah'],
      [4, 'nama_mpp'],
      [5, 'tanggal_peresmian'],
      [6, 'kanal'],
      [7, 'hari_buka'],
      [8, 'email_pengelola'],
      [9, 'lintang'],
      [10, 'bujur'],
      [11, 'bujur'],
    ]);
    // The good row's outcome is still shown (what would happen once the others are fixed).
    expect(body.outcomes).toEqual([{ row: 2, regencyCode: '53.71', name: 'MPP Baru Kupang', outcome: 'create' }]);
    expect(body.errors.slice(6).map((e) => e.problem)).toEqual([
      'lintang di luar wilayah Indonesia (-11.5 sampai 6.5); periksa tanda minus atau tertukar dengan bujur',
      'lintang diisi tetapi bujur kosong; isi keduanya atau kosongkan keduanya',
      'bujur "122°58" bukan angka derajat (mis. 123.607)',
    ]);
    expect(body.errors[0].problem).toBe('kode wilayah 99.99 tidak dikenal (kode Kemendagri, mis. 53.71)');
    expect(body.errors[1].problem).toBe('MPP yang sama sudah ada di baris 2 berkas ini');
    expect(body.errors[5].problem).toBe(`email ${bureau.email} sudah dipakai pengguna dengan peran biro organisasi`);
    expect({ mpps: await count('mpps'), users: await count('users'), audit: await count('audit_log') }).toEqual(before);
  });

  it('keeps the phones on file when the phone column is left out; an empty cell in the column clears one', async () => {
    const file = (header: string[], row: string[]) => Papa.unparse({ fields: header, data: [row] });
    const phone = async () => (await sc.t.sql(`SELECT phone FROM users WHERE email = 'rambu@mpp.test'`))[0].phone;
    const columns = ['kode_wilayah', 'nama_mpp', 'email_pengelola', 'nama_pengelola'];
    const row = ['53.12', 'MPP Sumba Barat Daya', 'rambu@mpp.test', 'Ibu Rambu Kaka'];
    const first = await upload(file([...columns, 'telepon_pengelola'], [...row, '+62 812-3456-7890']), 'text/csv');
    expect(first.body).toMatchObject({ created: 1, managersInvited: 1, errors: [] });
    expect(await phone()).toBe('+62 812-3456-7890');

    const without = await upload(file(columns, row), 'text/csv');
    expect(without.body).toMatchObject({ created: 0, updated: 0, unchanged: 1, errors: [] });
    expect(await phone()).toBe('+62 812-3456-7890');

    const emptied = await upload(file([...columns, 'telepon_pengelola'], [...row, '']), 'text/csv');
    expect(emptied.body).toMatchObject({ updated: 1, unchanged: 0, errors: [] });
    expect(await phone()).toBeNull();
  });

  it('refuses what is not a registry file: JSON, an unreadable workbook, a header without the required columns', async () => {
    const json = await sc.admin.post<ImportResult>('/api/v1/registry/import', { rows: [] });
    expect(json.status).toBe(415);
    const broken = await upload(Buffer.from('not a zip'), XLSX);
    expect([broken.status, broken.error?.error]).toEqual([400, 'validation_failed']);
    const header = await upload('nama,alamat\nMPP X,Jl. Y\n', 'text/csv');
    expect(header.body.errors.map((e) => e.problem)).toContain('kolom wajib "kode_wilayah" tidak ada di baris judul');
    // Elsewhere a CSV body is still refused.
    const elsewhere = await sc.admin.post<MppView>('/api/v1/mpps', 'a,b', { headers: { 'content-type': 'text/csv' } });
    expect(elsewhere.status).toBe(415);
  });

  it('onboards 300 MPPs, 350 managers and their tenants from an XLSX in under 10 s; again: 300 unchanged; the export is the input', async () => {
    const rows = await nationalRollout(sc.t);
    expect(new Set(rows.map((r) => r[0].slice(0, 2))).size).toBe(38);
    const file = await xlsxOf(rows);
    const mppsBefore = await count('mpps');
    const started = Date.now();
    const dry = await upload(file, XLSX, true);
    expect(dry.body).toMatchObject({ dryRun: true, rows: 300, created: 300, errors: [] });
    expect(await count('mpps')).toBe(mppsBefore);
    const real = await upload(file, XLSX);
    const elapsed = Date.now() - started;
    expect(real.body).toMatchObject({
      dryRun: false,
      rows: 300,
      created: 300,
      updated: 0,
      unchanged: 0,
      managersInvited: 350,
      errors: [],
    });
    expect(real.body.unmatchedTenants.map((u) => u.name)).toContain('Koperasi Unit 20');
    console.log(`300-MPP XLSX: dry run + import in ${elapsed} ms`);
    expect(elapsed).toBeLessThan(10_000);
    expect(
      await sc.t.sql(`SELECT count(*)::int AS n FROM mpp_tenants t JOIN mpps m ON m.id = t.mpp_id WHERE m.name LIKE 'MPP Nasional %'`),
    ).toEqual([{ n: rows.reduce((n, r) => n + r[6].split(';').length, 0) }]);
    expect(
      await sc.t.sql(`SELECT count(*)::int AS n FROM users WHERE role = 'manager' AND email LIKE '%.%@mpp.test' AND password_hash IS NULL`),
    ).toEqual([{ n: 350 }]);

    const again = await upload(file, XLSX);
    expect(again.body).toMatchObject({ rows: 300, created: 0, updated: 0, unchanged: 300, managersInvited: 0, errors: [] });

    const exported = await sc.admin.get('/api/v1/registry/export?format=xlsx');
    expect(exported.headers['content-type']).toBe(XLSX);
    const back = textRows(await readSheet(exported.raw)).filter((r) => r[1].startsWith('MPP Nasional'));
    expect(back).toEqual(rows);
  }, 60_000);

  it('writes nothing from a 300-row file with 5 bad rows, and names all 5', async () => {
    const rows = (await nationalRollout(sc.t)).map((r) => [...r]);
    rows[10][0] = '00.00';
    rows[50][3] = '31-12-2024';
    rows[100][5] = 'langsung;faks';
    rows[150][4] = '0-9';
    rows[200][1] = rows[199][1];
    rows[200][0] = rows[199][0];
    const before = await sc.t.sql(`SELECT count(*)::int AS mpps, max(updated_at) AS at FROM mpps`);
    const res = await upload(await xlsxOf(rows), XLSX);
    expect(res.body.errors.map((e) => [e.row, e.column])).toEqual([
      [12, 'kode_wilayah'],
      [52, 'tanggal_peresmian'],
      [102, 'kanal'],
      [152, 'hari_buka'],
      [202, 'nama_mpp'],
    ]);
    expect(await sc.t.sql(`SELECT count(*)::int AS mpps, max(updated_at) AS at FROM mpps`)).toEqual(before);
  }, 60_000);

  it('lets ministry export and the template be fetched, but only an admin import', async () => {
    const ministry = await sc.user({ role: 'ministry' });
    expect((await sc.as(ministry.token).get('/api/v1/registry/export')).status).toBe(200);
    const template = await sc.as(ministry.token).get('/api/v1/registry/template?format=csv');
    expect(template.text.replace(/^\ufeff/, '').trim()).toBe(HEADER.join(','));
    const refused = await sc
      .as(ministry.token)
      .post<ImportResult>('/api/v1/registry/import', 'kode_wilayah,nama_mpp\n', { headers: { 'content-type': 'text/csv' } });
    expect(refused.status).toBe(403);
    expect(ADMIN.email).toBeTruthy();
  });

  it('reports per agency the MPPs hosting it (national and for a bureau, its province only), and the admin can add an agency', async () => {
    // The registry the report reads: the shipped ten and the national 300 (each import idempotent, so
    // this holds whether or not the import tests above ran).
    expect((await upload(shippedCsv(), 'text/csv')).body.errors).toEqual([]);
    expect((await upload(await xlsxOf(await nationalRollout(sc.t)), XLSX)).body.errors).toEqual([]);
    const national = await sc.admin.get<AgencyReport>('/api/v1/reports/agencies?week=2026-W48');
    expect(national.status).toBe(200);
    const polri = national.body.agencies.find((a) => a.code === 'POLRI');
    expect(polri).toMatchObject({ hostingMpps: 310, hostingMppsOpen: 0, servedMpps: null });
    const bureau = await sc.user({ role: 'bureau', provinceCode: '11' });
    const aceh = await sc.as(bureau.token).get<AgencyReport>('/api/v1/reports/agencies?week=2026-W48&province=53');
    const acehMpps = (await sc.t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM mpps WHERE province_code = '11'`))[0].n;
    expect([aceh.body.provinceCode, aceh.body.agencies.find((a) => a.code === 'DISDUKCAPIL')?.hostingMpps]).toEqual(['11', acehMpps]);

    const before = national.body.unmatchedTenants;
    const added = await sc.admin.post<AgencyView>('/api/v1/agencies', { code: 'KOPERASI', name: 'Koperasi', aliases: ['Koperasi Unit'] });
    expect(added.status).toBe(201);
    const after = await sc.admin.get<AgencyReport>('/api/v1/reports/agencies?week=2026-W48');
    expect(after.body.unmatchedTenants).toBeLessThan(before);
    expect(after.body.agencies.find((a) => a.code === 'KOPERASI')?.hostingMpps).toBeGreaterThan(0);
    expect((await sc.as(bureau.token).get<AgencyView[]>('/api/v1/agencies')).body.map((a) => a.code)).toContain('KOPERASI');
  });
});
