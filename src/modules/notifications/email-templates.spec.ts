import { EmailTemplates } from './email-templates';
import { digestContext, escalationContext, reminderContext } from './email-samples.fixture';

const templates = new EmailTemplates('https://mpp.example.go.id');

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
