import { mppFormBody, mppFormModel, submittedMppForm } from './mpp-form';

const TENANT = '11111111-1111-4111-8111-111111111111';
const full = (extra: Record<string, unknown> = {}) => ({
  'has.openingDays': '1',
  'has.channels': '1',
  'has.tenants': '1',
  name: 'MPP Kota Kupang',
  regencyCode: '53.71',
  address: '',
  latitude: '-10,1772',
  longitude: '123.607',
  openingDays: ['1', '2', '6'],
  channels: 'direct',
  [`tenant.0.id`]: TENANT,
  [`tenant.0.agencyCode`]: 'POLRI',
  [`tenant.0.name`]: 'Polresta Kupang Kota',
  [`tenant.0.services`]: 'SKCK, Surat kehilangan;',
  [`tenant.1.agencyCode`]: '',
  [`tenant.1.name`]: '',
  [`tenant.1.services`]: '',
  ...extra,
});

describe('the admin MPP form', () => {
  it('becomes the PATCH body: ticked days and channels, decimal commas, tenant rows with ids, empty rows left out', () => {
    const { body, errors } = mppFormBody(submittedMppForm(full()));
    expect(errors).toEqual({});
    expect(body).toEqual({
      name: 'MPP Kota Kupang',
      regencyCode: '53.71',
      address: null,
      inauguratedOn: undefined,
      active: false,
      openingDays: [1, 2, 6],
      channels: ['direct'],
      latitude: -10.1772,
      longitude: 123.607,
      tenants: [{ id: TENANT, name: 'Polresta Kupang Kota', services: ['SKCK', 'Surat kehilangan'], agencyCode: 'POLRI' }],
    });
  });

  it('leaves out rows ticked "hapus", and sends an empty list when every row is', () => {
    const { body } = mppFormBody(submittedMppForm(full({ 'tenant.0.remove': 'on' })));
    expect(body.tenants).toEqual([]);
  });

  it('names an unreadable coordinate and a row with services but no name, by field', () => {
    const { errors } = mppFormBody(submittedMppForm(full({ latitude: '-10,17,72', 'tenant.1.services': 'Paspor' })));
    expect(errors).toEqual({ latitude: 'error.field.latitude', 'tenant.1': 'error.field.tenantName' });
  });

  it('leaves alone what an older form does not carry (no boxes, no coordinates, no tenant rows)', () => {
    const { body } = mppFormBody(submittedMppForm({ name: 'MPP Kota Kupang', regencyCode: '53.71', address: 'Jl. El Tari', active: 'on' }));
    expect(body).toEqual({ name: 'MPP Kota Kupang', regencyCode: '53.71', address: 'Jl. El Tari', inauguratedOn: undefined, active: true });
  });

  it('draws the typed rows back with their errors, and always a few blank rows', () => {
    const values = submittedMppForm(full({ 'tenant.1.services': 'Paspor' }));
    const model = mppFormModel(values, { 'tenant.1': 'error.field.tenantName' }, [{ code: 'POLRI', name: 'Kepolisian' }]);
    expect(model.tenants.map((r) => [r.index, r.id, r.services, r.error ?? null])).toEqual([
      [0, TENANT, 'SKCK, Surat kehilangan;', null],
      [1, '', 'Paspor', 'error.field.tenantName'],
      [2, '', '', null],
      [3, '', '', null],
      [4, '', '', null],
    ]);
    expect(model.tenants[0].agencies).toEqual([{ code: 'POLRI', name: 'Kepolisian', selected: true }]);
    expect(model.days.filter((d) => d.checked).map((d) => d.value)).toEqual([1, 2, 6]);
    expect(model.hasErrors).toBe(true);
  });
});
