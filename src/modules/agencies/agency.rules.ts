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
  return agencyMatcher(agencies)(tenantName);
}

/**
 * matchAgency for many names against one list: the aliases are normalised once and each distinct
 * name is matched once (a national import has ~7,500 tenants but a few hundred names).
 */
export function agencyMatcher(agencies: AgencyNames[]): (tenantName: string) => string | null {
  const aliases = agencies.flatMap((a) => [a.code, a.name, ...a.aliases].map((alias) => ({ code: a.code, alias: normalise(alias) })));
  const seen = new Map<string, string | null>();
  return (tenantName) => {
    const name = normalise(tenantName);
    if (seen.has(name)) return seen.get(name)!;
    let best: { code: string; length: number } | null = null;
    for (const { code, alias } of aliases) {
      if (!alias) continue;
      const hit = name === alias || (name.startsWith(alias) && /^[\s\-–(,.:/]/.test(name.slice(alias.length)));
      if (hit && (!best || alias.length > best.length)) best = { code, length: alias.length };
    }
    seen.set(name, best?.code ?? null);
    return best?.code ?? null;
  };
}
