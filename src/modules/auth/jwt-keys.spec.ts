import { createSecretKey } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { signHs256 } from './jwt-keys';

describe('signHs256', () => {
  const key = createSecretKey(Buffer.from('0123456789abcdef0123456789abcdef'));
  const claims = { typ: 'check_in_link', sub: 'u-1', mpp: 'm-1', week: '2026-W48', jti: 'j-1', iat: 1_790_000_000, exp: 1_790_600_000 };

  it('writes the very token jsonwebtoken writes for the same claims and key', () => {
    expect(signHs256(claims, key)).toBe(jwt.sign(claims, key));
  });

  it('is verified by jsonwebtoken, which answers the claims', () => {
    expect(jwt.verify(signHs256(claims, key), key, { algorithms: ['HS256'], ignoreExpiration: true })).toEqual(claims);
  });

  it('fails verification with another key or a changed payload', () => {
    const token = signHs256(claims, key);
    const other = createSecretKey(Buffer.from('another-key-another-key-another-'));
    expect(() => jwt.verify(token, other, { algorithms: ['HS256'], ignoreExpiration: true })).toThrow('invalid signature');
    const [header, , signature] = token.split('.');
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, mpp: 'm-2' })).toString('base64url')}.${signature}`;
    expect(() => jwt.verify(forged, key, { algorithms: ['HS256'], ignoreExpiration: true })).toThrow('invalid signature');
  });
});
