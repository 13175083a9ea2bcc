import { EmailTemplates } from './email-templates';
import { DigestPayload, EscalationPayload, ReminderPayload } from './notification.types';

const templates = new EmailTemplates('https://mpp.example.go.id');

const reminder: ReminderPayload & Record<string, unknown> = {
  managerName: 'Maria Kewa',
  zone: 'WITA',
  timezone: 'Asia/Makassar',
  deadline: '2026-11-30T04:00:00.000Z',
  mpps: [{ id: 'a1', name: 'MPP Kabupaten Manggarai Timur' }],
};
const reminderContext = {
  ...reminder,
  week: '2026-W48',
  single: true,
  mpps: [{ id: 'a1', name: 'MPP Kabupaten Manggarai Timur', link: 'https://mpp.example.go.id/check-in/a1/2026-W48' }],
};

const escalation: EscalationPayload = {
  provinceCode: '53',
  provinceName: 'NUSA TENGGARA TIMUR',
  counts: { total: 2, new: 1, reEscalated: 1, open: 0, inProgress: 0 },
  flags: [
    {
      id: 'f1',
      mppId: 'm1',
      mppName: 'MPP <Kota> Kupang',
      regencyName: 'KOTA KUPANG',
      state: 'open',
      openedWeek: '2026-W48',
      sinceWeek: '2026-W48',
      rules: ['not_reporting_consecutive'],
      category: 'new',
      escalations: 1,
    },
    {
      id: 'f2',
      mppId: 'm2',
      mppName: 'MPP Manggarai Timur',
      regencyName: 'KABUPATEN MANGGARAI TIMUR',
      state: 'open',
      openedWeek: '2026-W47',
      sinceWeek: '2026-W47',
      rules: ['self_reported_not_operating', 'zero_activity'],
      category: 're_escalated',
      escalations: 2,
    },
  ],
};
const escalationContext = {
  ...escalation,
  week: '2026-W48',
  flags: escalation.flags.map((f) => ({ ...f, link: `https://mpp.example.go.id/flags/${f.id}` })),
};

const counts = { active: 6, at_risk: 1, inactive: 2, not_reporting: 1, excused: 0, not_expected: 1 };
const digest: DigestPayload = {
  national: {
    expected: 10,
    reported: 9,
    onTime: 8,
    reportingRate: 0.9,
    onTimeRate: 0.8,
    counts,
    openFlags: 2,
    flagsOlderThan2Weeks: 1,
    disputed: 2,
    citizenReports: 7,
  },
  provinces: [
    {
      provinceCode: '53',
      name: 'NUSA TENGGARA TIMUR',
      expected: 2,
      reported: 1,
      onTime: 1,
      reportingRate: 0.5,
      onTimeRate: 0.5,
      counts: { ...counts, active: 0, at_risk: 0, inactive: 1 },
      openFlags: 1,
      flagsOlderThan2Weeks: 0,
      disputed: 1,
      citizenReports: 4,
    },
  ],
  newlyFlagged: {
    total: 51,
    items: [
      {
        flagId: 'f1',
        mppName: 'MPP Kota Kupang',
        provinceName: 'NUSA TENGGARA TIMUR',
        rules: ['zero_activity'],
        state: 'open',
        openedWeek: '2026-W48',
        sinceWeek: '2026-W48',
        weeksOpen: 1,
        escalations: 1,
      },
    ],
  },
  reEscalated: {
    total: 1,
    items: [
      {
        flagId: 'f2',
        mppName: 'MPP Buleleng',
        provinceName: 'BALI',
        rules: ['zero_days_open'],
        state: 'open',
        openedWeek: '2026-W46',
        sinceWeek: '2026-W46',
        weeksOpen: 3,
        escalations: 3,
      },
    ],
  },
  longestOpen: [
    {
      flagId: 'f2',
      mppName: 'MPP Buleleng',
      provinceName: 'BALI',
      rules: ['zero_days_open'],
      state: 'open',
      openedWeek: '2026-W46',
      sinceWeek: '2026-W46',
      weeksOpen: 3,
      escalations: 3,
    },
  ],
  provincesWithoutBureau: ['DKI JAKARTA'],
  coverage: { regencies: 508, regenciesWithMpp: 10, mppsRegistered: 10, rate: 10 / 508 },
};
const digestContext = { ...digest, week: '2026-W48' };

describe('email templates', () => {
  it("manager reminder in Bahasa Indonesia: deadline in the MPP's local time, link to the form", () => {
    const email = templates.render('manager_reminder', 'id', reminderContext);
    expect(email.subject).toBe(
      '[Pemantauan MPP] Pengingat: laporan mingguan MPP Kabupaten Manggarai Timur belum masuk — Minggu ke-48 tahun 2026 (23–29 November 2026)',
    );
    expect(email.text).toContain('Yth. Maria Kewa');
    expect(email.text).toContain('Senin, 30 November 2026 pukul 12.00 WITA');
    expect(email.text).toContain('- MPP Kabupaten Manggarai Timur: https://mpp.example.go.id/check-in/a1/2026-W48');
    expect(email.html).toContain('<html lang="id">');
    expect(email.html).toContain('href="https://mpp.example.go.id/check-in/a1/2026-W48"');
  });

  it('manager reminder in English', () => {
    const mpps = [...reminderContext.mpps, { id: 'b2', name: 'MPP Kota Kupang', link: 'https://mpp.example.go.id/check-in/b2/2026-W48' }];
    const email = templates.render('manager_reminder', 'en', { ...reminderContext, mpps, single: false });
    expect(email.subject).toBe('[MPP Monitor] Reminder: weekly report of 2 MPPs not received — Week 48 of 2026 (23–29 November 2026)');
    expect(email.text).toContain('Deadline: Monday, 30 November 2026 at 12:00 WITA');
    expect(email.text).toContain('- MPP Kota Kupang: https://mpp.example.go.id/check-in/b2/2026-W48');
    expect(email.html).toContain('<html lang="en">');
  });

  it('bureau escalation in Bahasa Indonesia: plain-word reasons, repeat called out, HTML escaped', () => {
    const email = templates.render('bureau_escalation', 'id', escalationContext);
    expect(email.subject).toBe(
      '[Pemantauan MPP] 2 MPP di Provinsi Nusa Tenggara Timur memerlukan tindak lanjut (1 eskalasi ulang) — Minggu ke-48 tahun 2026 (23–29 November 2026)',
    );
    expect(email.text).toContain('ESKALASI ULANG: 1 MPP');
    expect(email.text).toContain('Alasan: pengelola melaporkan MPP tidak beroperasi; tidak ada pengunjung maupun transaksi');
    expect(email.text).toContain('eskalasi ke-2');
    expect(email.text).toContain('MPP <Kota> Kupang (Kota Kupang)');
    expect(email.text).toContain('https://mpp.example.go.id/flags/f1');
    expect(email.html).toContain('MPP &lt;Kota&gt; Kupang');
    expect(email.html).not.toContain('<Kota>');
    expect(email.html).toContain('href="https://mpp.example.go.id/bureau"');
  });

  it('bureau escalation in English', () => {
    const email = templates.render('bureau_escalation', 'en', escalationContext);
    expect(email.subject).toBe(
      '[MPP Monitor] 2 MPPs in Nusa Tenggara Timur need follow-up (1 escalated again) — Week 48 of 2026 (23–29 November 2026)',
    );
    expect(email.text).toContain('Why: the manager reported the MPP not operating; no visitors and no transactions');
  });

  it('ministry digest in Bahasa Indonesia: counts, rates per province, repeats, coverage toward 508', () => {
    const email = templates.render('ministry_digest', 'id', digestContext);
    expect(email.subject).toBe(
      '[Pemantauan MPP] Ringkasan nasional minggu ke-48 tahun 2026 (23–29 November 2026): 2 MPP tidak aktif, 51 kasus baru, pelaporan 90%',
    );
    expect(email.text).toContain('- Nusa Tenggara Timur: 50% / 50% / 1 dari 2 MPP');
    expect(email.text).toContain('… dan 50 lainnya');
    expect(email.text).toContain(
      '- MPP Buleleng, Bali: dalam pemantauan sejak minggu ke-46 tahun 2026 (9–15 November 2026) (3 minggu), eskalasi ke-3',
    );
    expect(email.text).toContain('- DKI Jakarta');
    expect(email.text).toContain('- Belum wajib lapor (belum ada hari buka sejak diresmikan): 1');
    expect(email.text).toContain('10 dari 508 kabupaten/kota sudah memiliki MPP terdaftar (2%)');
    expect(email.html).toContain('href="https://mpp.example.go.id/national"');
  });

  it('ministry digest in English', () => {
    const email = templates.render('ministry_digest', 'en', digestContext);
    expect(email.subject).toBe(
      '[MPP Monitor] National digest, week 48 of 2026 (23–29 November 2026): 2 inactive, 51 newly flagged, reporting 90%',
    );
    expect(email.text).toContain('10 of 508 regencies/cities have a registered MPP (2%)');
    expect(email.text).toContain('… and 50 more');
  });
});
