/** One agency of the national list, with the names its tenants are registered under. */
export interface AgencyNames {
  code: string;
  name: string;
  aliases: string[];
}

const normalise = (s: string) => s.toLowerCase().replace(/\s+/g, ' ').trim();

/**
 * The agency a tenant's free-text name stands for, or null. Case-insensitive; an alias matches the
 * whole name or its start followed by a space or punctuation ("Polres Kupang Kota" → POLRI), and
 * the longest matching alias wins ("Bank BPD Bali" is BPD, not a bank named "Bank").
 */
export function matchAgency(tenantName: string, agencies: AgencyNames[]): string | null {
  const name = normalise(tenantName);
  let best: { code: string; length: number } | null = null;
  for (const agency of agencies) {
    for (const alias of [agency.code, agency.name, ...agency.aliases].map(normalise)) {
      if (!alias) continue;
      const hit = name === alias || (name.startsWith(alias) && /^[\s\-–(,.:/]/.test(name.slice(alias.length)));
      if (hit && (!best || alias.length > best.length)) best = { code: agency.code, length: alias.length };
    }
  }
  return best?.code ?? null;
}
