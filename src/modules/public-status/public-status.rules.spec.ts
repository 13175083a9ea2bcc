import { publicStatus } from './public-status.rules';

describe('publicStatus', () => {
  it.each([
    ['active', false, false, 'operating'],
    ['at_risk', false, false, 'operating'],
    ['inactive', false, false, 'not_operating'],
    ['not_reporting', false, false, 'no_report'],
    ['not_expected', false, false, 'no_report'],
    [null, false, false, 'no_report'],
    ['excused', false, false, 'closed'],
    ['active', false, true, 'closed'],
    ['at_risk', true, false, 'limited'],
    ['active', true, false, 'limited'],
    ['inactive', true, false, 'not_operating'],
  ] as const)('%s (confirmed dispute %s, retired %s) → %s', (result, disputeConfirmed, retired, expected) => {
    expect(publicStatus({ result, disputeConfirmed, retired })).toBe(expected);
  });
});
