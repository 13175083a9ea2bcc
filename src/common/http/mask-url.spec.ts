import { maskUrl } from './mask-url';

describe('maskUrl', () => {
  it.each([
    ['/c/eyJhbGciOi.eyJzdWIi.sig', '/c/[redacted]'],
    ['/c/eyJhbGciOi.eyJzdWIi.sig?saved=1', '/c/[redacted]?saved=1'],
    ['/ping/abc123?date=2026-12-01&tickets=40', '/ping/[redacted]?date=2026-12-01&tickets=40'],
    ['/reset?token=secret-value&x=1', '/reset?token=[redacted]&x=1'],
    ['/api/v1/mpps?province=53', '/api/v1/mpps?province=53'],
    ['/check-in/11111111-1111-4111-8111-111111111111/2026-W48', '/check-in/11111111-1111-4111-8111-111111111111/2026-W48'],
  ])('%s → %s', (url, masked) => {
    expect(maskUrl(url)).toBe(masked);
  });
});
