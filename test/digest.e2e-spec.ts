import { Scenario } from './support/scenario';
import type { ReceivedMail } from './support/smtp';

const notOperating = {
  daysOpen: 0,
  tenantsServing: 0,
  countersOpen: 0,
  visitors: 0,
  transactions: 0,
  status: 'not_operating',
  closureReason: 'Listrik padam',
};

/**
 * Issue 16 item 5: the ministry digest a deputy reads, with the change since last week (▲▼) and the
 * trend of inactive MPPs, checked in the rendered email over four evaluated weeks of a hand-built
 * scenario (weeks 45–48 of 2026):
 *
 * | MPP                  | W45    | W46            | W47             | W48             |
 * |----------------------|--------|----------------|-----------------|-----------------|
 * | Kupang (NTT)         | active | active         | active          | active          |
 * | Manggarai Timur (NTT)| active | inactive (self)| active          | inactive (self) |
 * | Sumba Barat (NTT)    | active | not_reporting  | inactive (2 wk) | inactive (3 wk) |
 * | Buleleng (Bali)      | active | active         | active          | active          |
 */
describe('the ministry digest: change since last week and the 12-week trend (e2e)', () => {
  let sc: Scenario;
  const mpp: Record<string, { id: string }> = {};
  const manager: Record<string, { token: string }> = {};

  // What each MPP reports each week (null: nothing), and the Friday and Monday of each week.
  const weeks: { week: string; friday: string; evaluation: string; reports: Record<string, Record<string, unknown> | null> }[] = [
    {
      week: '2026-W45',
      friday: '2026-11-06T02:00:00Z',
      evaluation: '2026-11-09T05:10:00Z',
      reports: { kupang: {}, manggarai: {}, sumba: {}, buleleng: {} },
    },
    {
      week: '2026-W46',
      friday: '2026-11-13T02:00:00Z',
      evaluation: '2026-11-16T05:10:00Z',
      reports: { kupang: {}, manggarai: notOperating, sumba: null, buleleng: {} },
    },
    {
      week: '2026-W47',
      friday: '2026-11-20T02:00:00Z',
      evaluation: '2026-11-23T05:10:00Z',
      reports: { kupang: {}, manggarai: {}, sumba: null, buleleng: {} },
    },
    {
      week: '2026-W48',
      friday: '2026-11-27T02:00:00Z',
      evaluation: '2026-11-30T05:10:00Z',
      reports: { kupang: {}, manggarai: notOperating, sumba: null, buleleng: {} },
    },
  ];
  const digests: Record<string, ReceivedMail> = {};

  beforeAll(async () => {
    sc = await Scenario.start({ at: '2026-11-06T02:00:00Z', mail: true }); // Friday of W45
    mpp.kupang = await sc.mpp({ regencyCode: '53.71', name: 'MPP Kota Kupang' });
    mpp.manggarai = await sc.mpp({ regencyCode: '53.19', name: 'MPP Kabupaten Manggarai Timur' });
    mpp.sumba = await sc.mpp({ regencyCode: '53.01', name: 'MPP Kabupaten Sumba Barat' });
    mpp.buleleng = await sc.mpp({ regencyCode: '51.08', name: 'MPP Kabupaten Buleleng' });
    for (const who of Object.keys(mpp)) manager[who] = await sc.manager(mpp[who]);
    await sc.bureau('53', { email: 'biro.ntt@mpp.test' });
    await sc.bureau('51', { email: 'biro.bali@mpp.test' });
    await sc.user({ role: 'ministry', email: 'deputi@menpan.test' });

    for (const w of weeks) {
      sc.clock.set(w.friday);
      for (const [who, patch] of Object.entries(w.reports)) {
        if (!patch) continue;
        const res = await sc.checkIn(manager[who], mpp[who].id, w.week, patch);
        if (res.status !== 201) throw new Error(`${who} ${w.week}: ${res.status} ${res.text}`);
      }
      sc.clock.set(w.evaluation);
      await sc.scheduler.tick();
      await sc.settled();
    }
    for (const m of sc.smtp.received.filter((x) => x.to.includes('deputi@menpan.test'))) {
      const week = weeks.find((w) => m.subject.includes(`minggu ke-${w.week.slice(-2)} tahun 2026`))!.week;
      digests[week] = m;
    }
  }, 120_000);

  afterAll(() => sc?.close());

  it('one digest per evaluated week', () => {
    expect(Object.keys(digests).sort()).toEqual(['2026-W45', '2026-W46', '2026-W47', '2026-W48']);
    const results = (week: string) =>
      sc.t.sql(`SELECT m.name, e.result FROM evaluations e JOIN mpps m ON m.id = e.mpp_id WHERE e.week = $1 ORDER BY m.name`, [week]);
    return expect(results('2026-W48')).resolves.toEqual([
      { name: 'MPP Kabupaten Buleleng', result: 'active' },
      { name: 'MPP Kabupaten Manggarai Timur', result: 'inactive' },
      { name: 'MPP Kabupaten Sumba Barat', result: 'inactive' },
      { name: 'MPP Kota Kupang', result: 'active' },
    ]);
  });

  it('the first week has nothing to compare with: no change is shown', () => {
    const { text } = digests['2026-W45'];
    expect(text).toContain('HASIL EVALUASI (4 MPP wajib lapor)\n- Aktif: 4\n- Berisiko: 0\n- Tidak aktif: 0\n- Tidak melapor: 0\n');
    expect(text).not.toMatch(/[▲▼]|tetap\)/);
    expect(text).toContain('TREN MPP TIDAK AKTIF, 12 MINGGU TERAKHIR\n- minggu 45/2026: 0\n');
  });

  it('week 46 against week 45: counts and the reporting rate with ▲ and ▼', () => {
    const { text } = digests['2026-W46'];
    expect(text).toContain('- Aktif: 2 (▼ 2)\n- Berisiko: 0 (tetap)\n- Tidak aktif: 1 (▲ 1)\n- Tidak melapor: 1 (▲ 1)\n');
    expect(text).toContain('Tingkat pelaporan: 75% (▼ 25 poin)');
  });

  it('week 48 against week 47, the 12-week trend of inactive MPPs, and provinces worst first', () => {
    const { text, html } = digests['2026-W48'];
    expect(text).toContain('- Aktif: 2 (▼ 1)\n- Berisiko: 0 (tetap)\n- Tidak aktif: 2 (▲ 1)\n- Tidak melapor: 0 (tetap)\n');
    expect(text).toContain('Tingkat pelaporan: 75% (tetap)');
    expect(text).toContain(
      'TREN MPP TIDAK AKTIF, 12 MINGGU TERAKHIR\n- minggu 45/2026: 0\n- minggu 46/2026: 1\n- minggu 47/2026: 1\n- minggu 48/2026: 2\n\n',
    );
    // Nusa Tenggara Timur (2 of 3 reported) before Bali (all reported), though Bali's code comes first.
    const provinces = text.slice(text.indexOf('PER PROVINSI'), text.indexOf('KASUS BARU'));
    expect(provinces.split('\n').filter((l) => l.startsWith('- '))).toEqual([
      '- Nusa Tenggara Timur: 66,7% / 66,7% / 2 dari 3 MPP; 0 dibantah, 0 laporan warga',
      '- Bali: 100% / 100% / 0 dari 1 MPP; 0 dibantah, 0 laporan warga',
    ]);
    // The HTML shows the same change beside each count and one bar per week.
    expect(html).toContain('Sejak minggu lalu');
    expect(html.match(/class="inactive-trend"[\s\S]*?<\/table>/)![0].match(/<tr>/g)).toHaveLength(4);
  });
});
