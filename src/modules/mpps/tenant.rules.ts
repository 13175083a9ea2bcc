/**
 * How an MPP's tenant list becomes a new one without losing tenant ids: check-ins name the tenants
 * that served by id (`tenants_serving_ids`), so a tenant still in the new list keeps its row and
 * id, and only what is really gone is removed. Pure: no Nest, no database.
 */
export interface StoredTenant {
  id: string;
  name: string;
  agencyCode: string | null;
}

export interface NextTenant {
  name: string;
  services: string[];
  agencyCode: string | null;
}

export interface TenantChanges {
  /** Tenants kept (same id), with their new position, name, services and agency. */
  kept: (NextTenant & { id: string; position: number })[];
  added: (NextTenant & { position: number })[];
  removedIds: string[];
}

const key = (name: string) => name.toLowerCase().replace(/\s+/g, ' ').trim();

/**
 * Matches the new list to the stored one: first by name (case and spacing aside), then by agency
 * when exactly one stored and one new tenant of that agency are left ("Polres" renamed
 * "Polresta Kupang Kota" is still POLRI's tenant). Two banks of one agency left unmatched are not
 * guessed at: they are removed and added.
 */
export function planTenantChanges(stored: StoredTenant[], next: NextTenant[]): TenantChanges {
  const idOf = new Map<number, string>();
  const free = new Map(stored.map((s) => [s.id, s]));
  const byName = new Map(stored.map((s) => [key(s.name), s]));
  next.forEach((t, i) => {
    const same = byName.get(key(t.name));
    if (same && free.has(same.id)) {
      idOf.set(i, same.id);
      free.delete(same.id);
    }
  });
  const left = (code: string) => [...free.values()].filter((s) => s.agencyCode === code);
  const unmatchedWith = (code: string) => next.filter((t, i) => !idOf.has(i) && t.agencyCode === code);
  next.forEach((t, i) => {
    if (idOf.has(i) || !t.agencyCode) return;
    const candidates = left(t.agencyCode);
    if (candidates.length === 1 && unmatchedWith(t.agencyCode).length === 1) {
      idOf.set(i, candidates[0].id);
      free.delete(candidates[0].id);
    }
  });
  const changes: TenantChanges = { kept: [], added: [], removedIds: [...free.keys()] };
  next.forEach((t, position) => {
    const id = idOf.get(position);
    if (id) changes.kept.push({ ...t, id, position });
    else changes.added.push({ ...t, position });
  });
  return changes;
}
