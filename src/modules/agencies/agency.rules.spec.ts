import { AgencyNames, matchAgency } from './agency.rules';

const AGENCIES: AgencyNames[] = [
  { code: 'POLRI', name: 'Kepolisian Negara Republik Indonesia', aliases: ['Polri', 'Polres', 'Polresta'] },
  { code: 'DISDUKCAPIL', name: 'Dinas Kependudukan dan Pencatatan Sipil', aliases: ['Disdukcapil', 'Dukcapil'] },
  { code: 'BANK_BRI', name: 'Bank Rakyat Indonesia', aliases: ['BRI', 'Bank BRI'] },
  { code: 'BPD', name: 'Bank Pembangunan Daerah', aliases: ['BPD', 'Bank NTT', 'Bank BPD Bali'] },
  { code: 'PENGADILAN_AGAMA', name: 'Pengadilan Agama', aliases: ['Pengadilan Agama', 'PA'] },
];

describe('matchAgency', () => {
  it.each([
    ['Polres', 'POLRI'],
    ['polresta kupang', 'POLRI'],
    ['POLRI', 'POLRI'],
    ['Polres Kupang Kota', 'POLRI'],
    ['Disdukcapil  Kota Kupang', 'DISDUKCAPIL'],
    ['Bank NTT', 'BPD'],
    ['Bank BPD Bali', 'BPD'],
    ['Bank BRI', 'BANK_BRI'],
    ['Pengadilan Agama Kupang', 'PENGADILAN_AGAMA'],
    ['Bank Rakyat Indonesia (Unit Oebobo)', 'BANK_BRI'],
  ])('%s → %s', (name, code) => expect(matchAgency(name, AGENCIES)).toBe(code));

  it.each(['Polresan', 'Paguyuban', 'Koperasi Sejahtera', 'Dinas Sosial', ''])('%s matches nothing', (name) =>
    expect(matchAgency(name, AGENCIES)).toBeNull(),
  );
});
