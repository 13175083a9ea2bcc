import { ConsoleLogger, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { FixedClock } from './common/clock';
import { placeName } from './common/i18n/place-name';
import type { Principal } from './common/auth/principal';
import { addDays, addWeeks, IsoWeek, mondayOf, weekAt } from './common/time/iso-week';
import { CheckInsService } from './modules/check-ins/check-ins.service';
import { CheckInDto } from './modules/check-ins/check-ins.dto';
import { CyclesService } from './modules/cycles/cycles.service';
import { ClosuresService } from './modules/mpps/closures.service';
import { MppsService } from './modules/mpps/mpps.service';
import { CreateUserDto } from './modules/users/users.dto';
import { UsersService } from './modules/users/users.service';
import { prepareRuntime } from './runtime';
import { describeStartupFailure } from './startup-failure';
import { DataSource } from 'typeorm';

/** The 10 MPPs inaugurated by KemenPANRB on 31 Oct 2023 (DOMAIN.md, source article). */
const DEMO_MPPS = [
  { regencyCode: '11.04', name: 'MPP Kabupaten Aceh Tengah' },
  { regencyCode: '18.12', name: 'MPP Kabupaten Tulang Bawang Barat' },
  { regencyCode: '36.02', name: 'MPP Kabupaten Lebak' },
  { regencyCode: '51.08', name: 'MPP Kabupaten Buleleng' },
  { regencyCode: '61.09', name: 'MPP Kabupaten Sekadau' },
  { regencyCode: '62.71', name: 'MPP Kota Palangka Raya' },
  { regencyCode: '53.71', name: 'MPP Kota Kupang' },
  { regencyCode: '53.19', name: 'MPP Kabupaten Manggarai Timur' },
  { regencyCode: '72.06', name: 'MPP Kabupaten Morowali' },
  { regencyCode: '73.08', name: 'MPP Kabupaten Bone' },
];

const TENANTS = [
  { name: 'Kepolisian Resor', services: ['SKCK'] },
  { name: 'Dinas Kependudukan dan Pencatatan Sipil', services: ['KTP-el', 'Kartu Keluarga', 'Akta Kelahiran'] },
  { name: 'DPMPTSP', services: ['Perizinan Berusaha', 'PBG'] },
  { name: 'Samsat', services: ['Pajak Kendaraan'] },
  { name: 'BPJS Kesehatan', services: ['Kepesertaan JKN'] },
  { name: 'Kantor Pertanahan', services: ['Informasi Pertanahan'] },
  { name: 'Kantor Pelayanan Pajak Pratama', services: ['NPWP', 'Konsultasi Pajak'] },
  { name: 'Bank Pembangunan Daerah', services: ['Pembayaran Retribusi'] },
];

/**
 * `npm run seed:demo`: the 10 real MPPs of 31 Oct 2023, a manager each, a bureau user per province
 * involved and a ministry user. Idempotent (existing rows are kept). Refused in production.
 */
async function main(): Promise<void> {
  Logger.overrideLogger(new ConsoleLogger({ json: false, colors: false }));
  if (process.env.NODE_ENV === 'production' && !process.argv.includes('--force')) {
    throw new Error('seed:demo loads demo accounts with a shared password: refused with NODE_ENV=production');
  }
  const password = process.env.DEMO_PASSWORD ?? 'Demo-MPP-2026!';
  const { config, embedded } = await prepareRuntime();
  config.mode = 'api'; // no worker or scheduler in a one-off script
  // The demo's weeks are played at their own times (a Friday's check-ins, a Monday's evaluation).
  const clock = new FixedClock(new Date());
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config, clock), { logger: ['error', 'warn'] });
  const db = app.get(DataSource);
  const mpps = app.get(MppsService);
  const users = app.get(UsersService);
  const logins: string[][] = [];
  const managerOf = new Map<string, string>();

  const ensureUser = async (email: string, body: Omit<CreateUserDto, 'email' | 'password'>) => {
    const [existing] = await db.query('SELECT id FROM users WHERE lower(email) = $1', [email]);
    if (!existing) await users.create({ ...body, email, password });
    logins.push([body.role, email, body.role === 'bureau' ? body.provinceCode! : body.role === 'manager' ? body.name : '']);
  };

  for (const [i, demo] of DEMO_MPPS.entries()) {
    const [existing] = await db.query('SELECT id FROM mpps WHERE regency_code = $1 AND name = $2', [demo.regencyCode, demo.name]);
    const id =
      existing?.id ??
      (
        await mpps.create({
          ...demo,
          inauguratedOn: '2023-10-31',
          channels: ['direct', 'mobile', 'electronic'],
          tenants: TENANTS.slice(0, 5 + (i % 4)),
          openingDays: i % 3 === 0 ? [1, 2, 3, 4, 5, 6] : [1, 2, 3, 4, 5],
        })
      ).id;
    const slug = demo.regencyCode.replace('.', '');
    await ensureUser(`pengelola.${slug}@mpp.demo`, { role: 'manager', name: `Pengelola ${demo.name}`, mppIds: [id] });
    managerOf.set(id, `pengelola.${slug}@mpp.demo`);
  }
  const provinces: { code: string; name: string }[] = await db.query('SELECT code, name FROM provinces WHERE code = ANY($1::text[])', [
    [...new Set(DEMO_MPPS.map((m) => m.regencyCode.slice(0, 2)))],
  ]);
  // Named by the province ("Biro Organisasi Provinsi Nusa Tenggara Timur"), as officials know the bureau, not by its code.
  for (const province of provinces) {
    await ensureUser(`biro.${province.code}@mpp.demo`, {
      role: 'bureau',
      name: `Biro Organisasi Provinsi ${placeName(province.name)}`,
      provinceCode: province.code,
    });
  }
  await ensureUser('kemenpanrb@mpp.demo', { role: 'ministry', name: 'Deputi Pelayanan Publik KemenPANRB' });

  const weeks = await playDemoWeeks(app, db, clock, managerOf);

  console.log(`\nDemo data ready (${DEMO_MPPS.length} MPPs). Every account below uses the password: ${password}\n`);
  console.table(logins.map(([role, email, scope]) => ({ role, email, scope })));
  console.log(
    weeks
      ? `\n${weeks} weeks of check-ins and evaluations loaded: try biro.11@mpp.demo first (Aceh: MPP Aceh Tengah stopped operating, a case waits for the bureau), then kemenpanrb@mpp.demo (the national page) and pengelola.5371@mpp.demo (Kupang, a late reporter).`
      : '\nThe demo weeks were loaded before: nothing added.',
  );
  await app.close();
  await embedded?.stop();
}

/**
 * Eight past weeks, played at their own times through the same services as the API: every MPP
 * reports on Friday and each week is evaluated on Monday after the deadline, except for four
 * stories — Aceh Tengah stops operating and then goes silent (a case for its bureau), Lebak
 * closes for two weeks and recovers, Kupang always reports late (Tuesday), and Buleleng is
 * excused by a flood its bureau declared. Skipped when those weeks are already evaluated.
 */
async function playDemoWeeks(
  app: Awaited<ReturnType<typeof NestFactory.createApplicationContext>>,
  db: DataSource,
  clock: FixedClock,
  managerOf: Map<string, string>,
): Promise<number> {
  const now = clock.now();
  const last = addWeeks(weekAt(now, 'Asia/Jakarta'), -1);
  const first = addWeeks(last, -7);
  const [done] = await db.query(`SELECT 1 FROM evaluations WHERE week = $1 LIMIT 1`, [first]);
  if (done) return 0;
  const users = app.get(UsersService);
  const checkIns = app.get(CheckInsService);
  const cycles = app.get(CyclesService);
  const closures = app.get(ClosuresService);
  const mpps: { id: string; regencyCode: string; tenants: number; days: number }[] = await db.query(
    `SELECT m.id, m.regency_code AS "regencyCode", cardinality(m.opening_days) AS days,
            (SELECT count(*)::int FROM mpp_tenants t WHERE t.mpp_id = m.id) AS tenants
       FROM mpps m WHERE m.id = ANY($1::uuid[]) ORDER BY m.regency_code`,
    [[...managerOf.keys()]],
  );
  const principal = async (mppId: string): Promise<Principal> => {
    const [{ id }] = await db.query(`SELECT id FROM users WHERE lower(email) = $1`, [managerOf.get(mppId)]);
    return (await users.findActivePrincipal(id))!;
  };
  const at = (date: string, hourUtc: number) => clock.set(new Date(`${date}T${String(hourUtc).padStart(2, '0')}:00:00Z`));
  const report = (m: { tenants: number; days: number }, n: number, patch: Partial<CheckInDto> = {}): CheckInDto => ({
    daysOpen: m.days,
    tenantsServing: Math.max(1, m.tenants - (n % 2)),
    countersOpen: 6 + (n % 4),
    visitors: 900 + ((n * 137) % 500),
    transactions: 1000 + ((n * 173) % 600),
    channels: { direct: true, mobile: n % 3 === 0, self: false, electronic: true },
    status: 'normal',
    closureReason: null,
    problems: null,
    ...patch,
  });
  const bureau = async (province: string): Promise<Principal> => {
    const [{ id }] = await db.query(`SELECT id FROM users WHERE lower(email) = $1`, [`biro.${province}@mpp.demo`]);
    return (await users.findActivePrincipal(id))!;
  };

  let week: IsoWeek = first;
  for (let w = 0; w < 8; w++, week = addWeeks(first, w)) {
    const monday = mondayOf(week);
    if (w === 6) {
      // A flood closes Buleleng (Bali, open Monday to Saturday) all week; the bureau declares it (approved at once).
      const buleleng = mpps.find((m) => m.regencyCode === '51.08')!;
      at(addDays(monday, 2), 2);
      await closures.declare(await bureau('51'), buleleng.id, {
        from: monday,
        to: addDays(monday, 5),
        reason: 'Banjir merendam gedung MPP',
        category: 'disaster',
      } as never);
    }
    at(addDays(monday, 4), 3); // Friday, 10:00 WIB
    for (const [i, m] of mpps.entries()) {
      const n = w * 10 + i;
      if (m.regencyCode === '53.71') continue; // Kupang reports late, below
      if (m.regencyCode === '51.08' && w === 6) continue; // closed by the flood
      if (m.regencyCode === '11.04' && w >= 5) {
        if (w === 5) {
          const closed = {
            daysOpen: 0,
            visitors: 0,
            transactions: 0,
            tenantsServing: 0,
            countersOpen: 0,
            status: 'not_operating' as const,
          };
          await checkIns.submit(
            await principal(m.id),
            m.id,
            week,
            report(m, n, { ...closed, closureReason: 'Gedung disegel, sewa belum dibayar pemerintah daerah' }),
          );
        }
        continue; // then silent
      }
      if (m.regencyCode === '36.02' && (w === 3 || w === 4)) {
        const closed = { daysOpen: 0, visitors: 0, transactions: 0, tenantsServing: 0, countersOpen: 0, status: 'not_operating' as const };
        await checkIns.submit(
          await principal(m.id),
          m.id,
          week,
          report(m, n, {
            ...closed,
            closureReason: 'Jaringan listrik padam, genset rusak',
            problems: 'Mohon bantuan genset dari pemerintah provinsi',
          }),
        );
        continue;
      }
      await checkIns.submit(
        await principal(m.id),
        m.id,
        week,
        report(m, n, n % 7 === 0 ? { problems: 'Printer KTP-el rusak sejak Rabu' } : {}),
      );
    }
    at(addDays(monday, 7), 6); // Monday 13:00 WIB: every deadline has passed
    await cycles.evaluateNow(week);
    const kupang = mpps.find((m) => m.regencyCode === '53.71')!;
    at(addDays(monday, 8), 1); // Tuesday 09:00 WITA: late, re-evaluates Kupang for the week
    await checkIns.submit(await principal(kupang.id), kupang.id, week, report(kupang, w));
  }
  clock.set(now);
  return 8;
}

main().catch((e) => {
  const { line, exitCode } = describeStartupFailure(e);
  console.error(line);
  process.exit(exitCode);
});
