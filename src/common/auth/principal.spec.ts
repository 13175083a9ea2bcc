import { canSeeMpp, Principal } from './principal';

const base: Principal = { id: 'u', email: 'u@x', name: 'U', role: 'admin', provinceCode: null, mppIds: [], locale: 'id', tokenVersion: 0 };
const kupang = { id: 'm1', provinceCode: '53' };

describe('canSeeMpp', () => {
  it.each<[string, Partial<Principal>, boolean]>([
    ['admin sees every MPP', { role: 'admin' }, true],
    ['ministry sees every MPP', { role: 'ministry' }, true],
    ['bureau sees its own province', { role: 'bureau', provinceCode: '53' }, true],
    ['bureau does not see another province', { role: 'bureau', provinceCode: '51' }, false],
    ['manager sees the MPP it manages', { role: 'manager', mppIds: ['m1'] }, true],
    ['manager does not see other MPPs', { role: 'manager', mppIds: ['m2'] }, false],
  ])('%s', (_name, user, expected) => {
    expect(canSeeMpp({ ...base, ...user }, kupang)).toBe(expected);
  });
});
