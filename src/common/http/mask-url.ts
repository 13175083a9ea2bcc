/**
 * URLs that carry a secret in the path or the query (a reminder's `/c/<token>`, an activity
 * source's `/ping/<token>`, a password link's `?token=`) as logs may keep them: the secret replaced.
 */
const SECRET_PATH = /^(\/(?:c|ping|reset|invite)\/)[^/?#]+/;
const SECRET_QUERY = /([?&](?:token|code)=)[^&#]*/gi;

export function maskUrl(url: string | undefined): string | undefined {
  if (typeof url !== 'string') return url;
  return url.replace(SECRET_PATH, '$1[redacted]').replace(SECRET_QUERY, '$1[redacted]');
}
