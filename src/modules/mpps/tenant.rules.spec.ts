import { planTenantChanges, StoredTenant } from './tenant.rules';

const stored: StoredTenant[] = [
  { id: 'a', name: 'Disdukcapil', agencyCode: 'DISDUKCAPIL' },
  { id: 'b', name: 'Polres', agencyCode: 'POLRI' },
  { id: 'c', name: 'Bank NTT', agencyCode: 'BPD' },
  { id: 'd', name: 'Bank Jatim', agencyCode: 'BPD' },
];
const t = (name: string, agencyCode: string | null, services: string[] = []) => ({ name, services, agencyCode });

describe('planTenantChanges', () => {
  it('keeps every id when the same list comes again, with new services and order', () => {
    const changes = planTenantChanges(stored, [
      t('Polres', 'POLRI', ['SKCK']),
      t('disdukcapil', 'DISDUKCAPIL'),
      t('Bank Jatim', 'BPD'),
      t('Bank  NTT', 'BPD'),
    ]);
    expect(changes.kept.map((k) => [k.id, k.position, k.name])).toEqual([
      ['b', 0, 'Polres'],
      ['a', 1, 'disdukcapil'],
      ['d', 2, 'Bank Jatim'],
      ['c', 3, 'Bank  NTT'],
    ]);
    expect(changes.kept[0].services).toEqual(['SKCK']);
    expect([changes.added, changes.removedIds]).toEqual([[], []]);
  });

  it('keeps a renamed tenant when it is the only one of its agency on both sides', () => {
    const changes = planTenantChanges(stored, [t('Polresta Kupang Kota', 'POLRI'), t('Disdukcapil', 'DISDUKCAPIL')]);
    expect(changes.kept.map((k) => k.id)).toEqual(['b', 'a']);
    expect(changes.removedIds.sort()).toEqual(['c', 'd']);
  });

  it('does not guess between two tenants of one agency: removed and added instead', () => {
    const changes = planTenantChanges(stored, [t('Bank Sulut', 'BPD'), t('Bank NTT', 'BPD')]);
    expect(changes.kept.map((k) => k.id)).toEqual(['c']);
    expect(changes.added).toEqual([{ name: 'Bank Sulut', services: [], agencyCode: 'BPD', position: 0 }]);
    expect(changes.removedIds.sort()).toEqual(['a', 'b', 'd']);
  });

  it('adds tenants without an agency and removes everything for an empty list', () => {
    expect(planTenantChanges([], [t('Koperasi', null)]).added).toHaveLength(1);
    expect(planTenantChanges(stored, [])).toEqual({ kept: [], added: [], removedIds: ['a', 'b', 'c', 'd'] });
  });
});
