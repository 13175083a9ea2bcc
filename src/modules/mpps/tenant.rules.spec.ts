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
    expect([changes.added, changes.removedIds, changes.unknownIds]).toEqual([[], [], []]);
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
    expect(planTenantChanges(stored, [])).toEqual({ kept: [], added: [], removedIds: ['a', 'b', 'c', 'd'], unknownIds: [] });
  });

  it('keeps a tenant sent with its id whatever its new name and agency, and reports ids it does not hold', () => {
    const changes = planTenantChanges(stored, [
      { id: 'c', ...t('Bank NTT Cabang Kupang', null) },
      t('Polres', 'POLRI'),
      { id: 'zz', ...t('Imigrasi', 'IMIGRASI') },
    ]);
    expect(changes.kept.map((k) => [k.id, k.position, k.name])).toEqual([
      ['c', 0, 'Bank NTT Cabang Kupang'],
      ['b', 1, 'Polres'],
    ]);
    expect(changes.kept[0]).not.toHaveProperty('id', 'zz');
    expect(changes.added).toEqual([{ name: 'Imigrasi', services: [], agencyCode: 'IMIGRASI', position: 2 }]);
    expect(changes.unknownIds).toEqual(['zz']);
    expect(changes.removedIds.sort()).toEqual(['a', 'd']);
  });

  it('does not give a tenant sent with an id another tenant’s id by name', () => {
    // "Disdukcapil" sent with b's id is b renamed, not a: a is removed.
    const changes = planTenantChanges(stored, [{ id: 'b', ...t('Disdukcapil', 'DISDUKCAPIL') }]);
    expect(changes.kept.map((k) => k.id)).toEqual(['b']);
    expect(changes.removedIds.sort()).toEqual(['a', 'c', 'd']);
  });
});
