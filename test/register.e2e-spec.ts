import { EmailTemplates } from '../src/modules/notifications/email-templates';
import {
  bulelengFlag,
  digestContext,
  escalationContext,
  receiptContext,
  reminderContext,
} from '../src/modules/notifications/email-samples.fixture';
import { NOTIFICATION_KINDS, NotificationKind } from '../src/modules/notifications/notification.types';
import { registerProblems, visibleText } from './support/register';

const templates = new EmailTemplates('https://mpp.example.go.id');

describe('the register of every Indonesian email (DOMAIN.md, "Register")', () => {
  // Every kind with rich sample data: context on each flag, an addition, overdue follow-up, response times.
  const richEscalation = {
    ...escalationContext,
    addressee: 'Kepala Biro Organisasi Sekretariat Daerah Provinsi Nusa Tenggara Timur',
    timezone: 'Asia/Makassar',
    respondBy: '2026-12-04T15:59:00.000Z',
    contact: 'pemantauan.mpp@example.go.id',
    flags: escalationContext.flags.map((f) => ({
      ...f,
      respondBy: '2026-12-04T15:59:00.000Z',
      managers: [{ name: 'Maria Kewa', email: 'maria@example.go.id', phone: '0812 3456 7890' }],
      latestCheckIn: {
        week: '2026-W48',
        daysOpen: 0,
        tenantsServing: 0,
        registeredTenants: 8,
        countersOpen: 0,
        visitors: 0,
        transactions: 0,
        status: 'not_operating',
        closureReason: 'Banjir',
        problems: 'Genset rusak',
        late: true,
        submittedAt: '2026-11-30T02:00:00.000Z',
      },
      recentWeeks: [
        { week: '2026-W48', result: 'inactive', rules: ['zero_activity'], reported: true },
        { week: '2026-W47', result: 'not_reporting', rules: ['not_reporting'], reported: false },
      ],
      ruleFacts: [
        { code: 'few_tenants_serving', values: { ratio: 50, registered: 8, serving: 3 } },
        { code: 'not_reporting_consecutive', values: { weeks: 2 } },
      ],
    })),
  };
  // Disputed self-reports with their evidence (issue 18): a note, visit days, signal days.
  const disputes = [
    {
      mppId: 'm3',
      mppName: 'MPP Kabupaten Kupang',
      regencyName: 'KABUPATEN KUPANG',
      rules: ['contradicted_by_citizen_reports', 'contradicted_by_signals'],
      evidence: {
        citizenCounts: { closed: 3, service_unavailable: 1, other: 0 },
        visitDates: ['2026-11-24', '2026-11-25'],
        notes: [{ kind: 'service_unavailable', visitedOn: '2026-11-25', agency: 'Disdukcapil', note: 'KTP tidak bisa dicetak' }],
        signals: { hasSource: true, daysClaimedOpen: 5, daysWithPings: 2, datesWithPings: ['2026-11-24', '2026-11-25'] },
      },
      notesTotal: 12,
      moreNotes: 11,
      link: 'https://mpp.example.go.id/flags/f3',
    },
    {
      mppId: 'm4',
      mppName: 'MPP Kabupaten Ende',
      regencyName: 'KABUPATEN ENDE',
      rules: ['contradicted_by_citizen_reports'],
      evidence: {
        citizenCounts: { closed: 3, service_unavailable: 0, other: 1 },
        visitDates: ['2026-11-26'],
        notes: [],
        signals: { hasSource: false, daysClaimedOpen: 5, daysWithPings: 0, datesWithPings: [] },
      },
      notesTotal: 0,
      moreNotes: 0,
      link: null,
    },
  ];
  const richDigest = {
    ...digestContext,
    contact: 'pemantauan.mpp@example.go.id',
    overdueAcknowledgements: {
      total: 1,
      items: [{ ...bulelengFlag, timezone: 'Asia/Makassar', respondBy: '2026-12-04T15:59:00.000Z' }],
    },
    overdueActions: {
      total: 1,
      items: [
        {
          flagId: bulelengFlag.flagId,
          mppName: bulelengFlag.mppName,
          provinceName: bulelengFlag.provinceName,
          kind: 'field_visit',
          targetDate: '2026-12-03',
        },
      ],
    },
    responseTimes: [
      { provinceName: 'BALI', medianHours: 30.5, acknowledged: 2, waiting: 1 },
      { provinceName: 'NUSA TENGGARA TIMUR', medianHours: null, acknowledged: 0, waiting: 1 },
    ],
  };
  const samples: [string, NotificationKind, Record<string, unknown>][] = [
    ['manager_reminder', 'manager_reminder', { ...reminderContext, contact: 'pemantauan.mpp@example.go.id' }],
    ['manager_friday_reminder', 'manager_friday_reminder', { ...reminderContext, contact: 'pemantauan.mpp@example.go.id' }],
    ['check_in_receipt', 'check_in_receipt', { ...receiptContext, contact: 'pemantauan.mpp@example.go.id' }],
    [
      'check_in_receipt (a late correction)',
      'check_in_receipt',
      { ...receiptContext, revision: 3, updated: true, late: true, contact: 'pemantauan.mpp@example.go.id' },
    ],
    ['bureau_escalation', 'bureau_escalation', richEscalation],
    ['bureau_escalation (cases and disputed reports)', 'bureau_escalation', { ...richEscalation, disputes }],
    [
      'bureau_escalation (disputed reports only)',
      'bureau_escalation',
      { ...richEscalation, flags: [], counts: { total: 0, new: 0, reEscalated: 0, open: 0, inProgress: 0 }, disputes },
    ],
    [
      'bureau_escalation (same-day addition)',
      'bureau_escalation',
      { ...richEscalation, addition: true, flags: [{ ...richEscalation.flags[0], category: 'addition' }] },
    ],
    ['ministry_digest', 'ministry_digest', richDigest],
    [
      'account_invitation',
      'account_invitation',
      {
        name: 'Yohanes Ndun',
        email: 'pengelola.5371@mpp.demo',
        link: 'https://mpp.example.go.id/password/set?token=contoh',
        expiresAt: '2026-12-08T03:00:00.000Z',
        timezone: 'Asia/Makassar',
        contact: 'pemantauan.mpp@example.go.id',
      },
    ],
    [
      'password_reset',
      'password_reset',
      {
        name: 'Yohanes Ndun',
        email: 'pengelola.5371@mpp.demo',
        link: 'https://mpp.example.go.id/password/set?token=contoh',
        expiresAt: '2026-12-01T04:00:00.000Z',
        timezone: 'Asia/Makassar',
        contact: 'pemantauan.mpp@example.go.id',
      },
    ],
  ];

  it('covers every kind of email', () => {
    expect(new Set(samples.map(([, kind]) => kind))).toEqual(new Set(NOTIFICATION_KINDS));
  });

  it.each(samples)('%s: no ISO week, no UTC time, no English', (_, kind, context) => {
    const email = templates.render(kind, 'id', context);
    expect(registerProblems(email.subject)).toEqual([]);
    expect(registerProblems(email.text)).toEqual([]);
    expect(registerProblems(visibleText(email.html))).toEqual([]);
    expect(email.text).toContain('Tim Pemantauan MPP');
    expect(email.text).toContain('pemantauan.mpp@example.go.id');
    expect(email.text).toContain('Mohon tidak membalas');
    expect(visibleText(email.html)).toContain('Hormat kami');
  });

  it('addresses the bureau as a letter does, with the case in numbers and who to call', () => {
    const email = templates.render('bureau_escalation', 'id', richEscalation);
    expect(email.text).toMatch(/^Yth\. Bapak\/Ibu Kepala Biro Organisasi Sekretariat Daerah Provinsi Nusa Tenggara Timur\n/);
    expect(email.text).toContain('minggu ke-48 tahun 2026 (23–29 November 2026)');
    expect(email.text).toContain('paling lambat Jumat, 4 Desember 2026 pukul 23.59 WITA');
    expect(email.text).toContain('kurang dari separuh dari 8 instansi terdaftar yang melayani (3)');
    expect(email.text).toContain('tidak melapor 2 minggu berturut-turut');
    expect(email.text).toContain('Alasan tutup menurut pengelola: Banjir');
    expect(email.text).toContain('Masalah yang disampaikan pengelola: Genset rusak');
    expect(email.text).toContain('Pengelola: Maria Kewa, maria@example.go.id, telepon 0812 3456 7890');
    expect(email.text).toContain('Hasil 4 minggu terakhir: minggu 48/2026 Tidak aktif; minggu 47/2026 Tidak melapor');
  });

  it('shows the bureau a disputed report’s evidence in words: counts by kind, visit days, notes, signal days', () => {
    const email = templates.render('bureau_escalation', 'id', {
      ...richEscalation,
      flags: [],
      counts: { total: 0, new: 0, reEscalated: 0, open: 0, inProgress: 0 },
      disputes,
    });
    expect(email.subject).toBe(
      '[Pemantauan MPP] 2 laporan MPP di Provinsi Nusa Tenggara Timur dibantah laporan warga atau sinyal aktivitas — Minggu ke-48 tahun 2026 (23–29 November 2026)',
    );
    expect(email.text).toContain('Laporan warga: 3 MPP ditemukan tutup, 1 layanan tidak tersedia, 0 lainnya');
    expect(email.text).toContain('Tanggal kunjungan: Selasa, 24 November 2026; Rabu, 25 November 2026');
    expect(email.text).toContain('Catatan warga (25 November 2026, layanan tidak tersedia, Disdukcapil): KTP tidak bisa dicetak');
    expect(email.text).toContain('… dan 11 catatan lainnya di halaman kasus');
    expect(email.text).toContain(
      'Sinyal aktivitas: diklaim buka 5 hari, aktivitas tercatat pada 2 hari (Selasa, 24 November 2026; Rabu, 25 November 2026)',
    );
    expect(email.text).toContain('Sinyal aktivitas: MPP ini belum memiliki sumber sinyal aktivitas (diklaim buka 5 hari)');
    expect(email.text).not.toContain('paling lambat');
  });

  it('the digest gives the change since last week and the 12-week trend of inactive MPPs', () => {
    const email = templates.render('ministry_digest', 'id', richDigest);
    expect(email.text).toContain('- Aktif: 6 (▼ 1)');
    expect(email.text).toContain('- Tidak aktif: 2 (▲ 1)');
    expect(email.text).toContain('- Berisiko: 1 (tetap)');
    expect(email.text).toContain('Tingkat pelaporan: 90% (▲ 10 poin)');
    expect(email.text).toContain('- minggu 46/2026: 0\n- minggu 47/2026: 1\n- minggu 48/2026: 2\n');
    expect(visibleText(email.html)).toContain('Sejak minggu lalu');
  });

  it('the receipt says what was recorded and whether it was on time, in local time', () => {
    const onTime = templates.render('check_in_receipt', 'id', receiptContext);
    expect(onTime.subject).toBe(
      '[Pemantauan MPP] Tanda terima laporan MPP Kabupaten Manggarai Timur — Minggu ke-48 tahun 2026 (23–29 November 2026)',
    );
    expect(onTime.text).toContain(
      'Diterima pada Jumat, 27 November 2026 pukul 10.30 WITA, tepat waktu (batas waktu Senin, 30 November 2026 pukul 12.00 WITA).',
    );
    expect(onTime.text).toContain('- Pengunjung: 1.240');
    expect(onTime.text).toContain('- Instansi yang melayani: 7 dari 8 instansi terdaftar');
    expect(onTime.text).toContain('- Kondisi MPP: Normal');
    const late = templates.render('check_in_receipt', 'id', { ...receiptContext, revision: 2, updated: true, late: true });
    expect(late.subject).toContain('Tanda terima laporan (perubahan ke-1)');
    expect(late.subject).toMatch(/\(terlambat\)$/);
    expect(late.text).toContain('TERLAMBAT: setelah batas waktu Senin, 30 November 2026 pukul 12.00 WITA.');
  });

  it('the register check catches what it must', () => {
    expect(registerProblems('Minggu 2026-W48, tenggat 2026-11-30T05:00:00.000Z, status open')).toHaveLength(4);
    expect(registerProblems('Status: Sudah ditanggapi')).toEqual(['English word "Status"']);
    expect(registerProblems('minggu ke-48 tahun 2026 (23–29 November 2026), pukul 12.00 WITA')).toEqual([]);
  });
});
