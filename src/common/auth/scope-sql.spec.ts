import { mppScopeSql } from './scope-sql';

const columns = { mppId: 'm.id', provinceCode: 'm.province_code' };

describe('mppScopeSql', () => {
  it('lets admin and ministry see everything', () => {
    expect(mppScopeSql({ kind: 'all' }, columns).text).toBe('TRUE');
  });

  it('keeps a bureau to its province', () => {
    const q = mppScopeSql({ kind: 'province', provinceCode: '53' }, columns);
    expect([q.text, q.values]).toEqual(['m.province_code = $1', ['53']]);
  });

  it('keeps a manager to its MPPs, and to nothing when it has none', () => {
    const q = mppScopeSql({ kind: 'mpps', mppIds: [] }, columns);
    expect([q.text, q.values]).toEqual(['m.id = ANY($1::uuid[])', [[]]]);
  });
});
