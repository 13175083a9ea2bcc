import { DataSource } from 'typeorm';
import { loadReferenceRegions } from '../src/modules/regions/reference-data';
import { TestApp } from './support/app';
import type { Province, Regency } from './support/answers';

describe('reference regions (e2e)', () => {
  let t: TestApp;
  let token: string;

  beforeAll(async () => {
    t = await TestApp.start();
    token = await t.adminToken();
  });
  afterAll(() => t.close());

  it('lists the 38 provinces with the time zone of each', async () => {
    const res = await t.as(token).get<Province[]>('/api/v1/provinces');
    expect(res.status).toBe(200);
    expect(res.body).toHaveLength(38);
    const tz = Object.fromEntries(res.body.map((p) => [p.code, p.timezone]));
    expect(tz).toMatchObject({
      '11': 'Asia/Jakarta',
      '31': 'Asia/Jakarta',
      '62': 'Asia/Jakarta',
      '51': 'Asia/Makassar',
      '53': 'Asia/Makassar',
      '65': 'Asia/Makassar',
      '76': 'Asia/Makassar',
      '81': 'Asia/Jayapura',
      '91': 'Asia/Jayapura',
      '96': 'Asia/Jayapura',
    });
    const counts = res.body.reduce((acc: Record<string, number>, p) => ({ ...acc, [p.timezone]: (acc[p.timezone] ?? 0) + 1 }), {});
    expect(counts).toEqual({ 'Asia/Jakarta': 18, 'Asia/Makassar': 12, 'Asia/Jayapura': 8 });
    expect(res.body.find((p) => p.code === '53')).toEqual({ code: '53', name: 'NUSA TENGGARA TIMUR', timezone: 'Asia/Makassar' });
  });

  it('lists the 514 regencies and cities, and filters by province', async () => {
    const all = await t.as(token).get<Regency[]>('/api/v1/regencies');
    expect(all.status).toBe(200);
    expect(all.body).toHaveLength(514);
    expect(all.body.find((r) => r.code === '53.71')).toEqual({ code: '53.71', provinceCode: '53', name: 'KOTA KUPANG' });
    const ntt = await t.as(token).get<Regency[]>('/api/v1/regencies?province=53');
    expect(ntt.body).toHaveLength(22);
    expect(ntt.body.every((r) => r.provinceCode === '53')).toBe(true);
  });

  it('refuses a malformed province filter with the error shape', async () => {
    const res = await t.as(token).get<Regency[]>('/api/v1/regencies?province=5x');
    expect(res.status).toBe(400);
    expect(res.error).toMatchObject({ statusCode: 400, error: 'validation_failed' });
    expect(res.error?.details[0]).toMatchObject({ field: 'province' });
  });

  it('needs a token', async () => {
    const res = await t.as().get<Province[]>('/api/v1/provinces');
    expect(res.status).toBe(401);
    expect(res.error).toMatchObject({ statusCode: 401, error: 'unauthorized' });
  });

  it('loads reference data idempotently (a second run changes nothing)', async () => {
    const db = new DataSource({ type: 'postgres', url: t.config.databaseUrl });
    await db.initialize();
    try {
      await loadReferenceRegions(db);
      const [{ p, r }] = await db.query('SELECT (SELECT count(*)::int FROM provinces) AS p, (SELECT count(*)::int FROM regencies) AS r');
      expect({ p, r }).toEqual({ p: 38, r: 514 });
    } finally {
      await db.destroy();
    }
  });
});
