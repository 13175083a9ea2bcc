import { toErrorBody } from './error.filter';

describe('toErrorBody: database errors', () => {
  it.each([
    ['22P05', 'a value PostgreSQL cannot store (NUL byte)'],
    ['22007', 'an impossible date'],
    ['22P02', 'malformed input syntax'],
  ])('answers 400 to data exception %s (%s), not 500', (code) => {
    expect(toErrorBody(Object.assign(new Error('pg'), { code })).body).toMatchObject({ statusCode: 400, error: 'bad_request' });
    // TypeORM wraps the driver's error.
    expect(toErrorBody(Object.assign(new Error('query failed'), { driverError: { code } })).body.statusCode).toBe(400);
  });

  it.each([
    [{ code: 'ECONNREFUSED' }],
    [{ code: '57P01' }], // terminating connection due to administrator command (a restart)
    [{ message: 'Connection terminated unexpectedly' }],
  ] as Record<string, string>[][])('answers 503 with Retry-After when the database is unreachable: %j', (props) => {
    const { body, headers } = toErrorBody(Object.assign(new Error(String(props.message ?? 'db')), props));
    expect(body).toMatchObject({ statusCode: 503, error: 'service_unavailable' });
    expect(headers['retry-after']).toBe('5');
  });

  it('keeps anything else a 500 without details', () => {
    expect(toErrorBody(new Error('boom')).body).toEqual({
      statusCode: 500,
      error: 'internal_error',
      message: 'Internal server error',
      details: [],
    });
    expect(toErrorBody(Object.assign(new Error('unique'), { code: '23505' })).body.statusCode).toBe(500);
  });
});
