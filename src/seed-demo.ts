import { ConsoleLogger, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
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
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), { logger: ['error', 'warn'] });
  const db = app.get(DataSource);
  const mpps = app.get(MppsService);
  const users = app.get(UsersService);
  const logins: string[][] = [];

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
  }
  for (const province of [...new Set(DEMO_MPPS.map((m) => m.regencyCode.slice(0, 2)))]) {
    await ensureUser(`biro.${province}@mpp.demo`, { role: 'bureau', name: `Biro Organisasi Provinsi ${province}`, provinceCode: province });
  }
  await ensureUser('kemenpanrb@mpp.demo', { role: 'ministry', name: 'Deputi Pelayanan Publik KemenPANRB' });

  console.log(`\nDemo data ready (${DEMO_MPPS.length} MPPs). Every account below uses the password: ${password}\n`);
  console.table(logins.map(([role, email, scope]) => ({ role, email, scope })));
  await app.close();
  await embedded?.stop();
}

main().catch((e) => {
  const { line, exitCode } = describeStartupFailure(e);
  console.error(line);
  process.exit(exitCode);
});
