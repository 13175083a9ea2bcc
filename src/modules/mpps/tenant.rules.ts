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
 * when the agency has exactly one tenant in the stored list and one in the new list, and neither
 * matched by name ("Polres" renamed "Polresta Kupang Kota" is still POLRI's tenant). An agency
 * with several tenants (two banks of BPD) is not guessed at, even when one of them is left over:
 * "Bank Jatim" gone and "Bank Sulut" new are a removal and an addition, not a rename.
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
  const storedOf = (code: string) => stored.filter((s) => s.agencyCode === code);
  const nextOf = (code: string) => next.filter((t) => t.agencyCode === code);
  next.forEach((t, i) => {
    if (idOf.has(i) || !t.agencyCode) return;
    const [only, ...more] = storedOf(t.agencyCode);
    if (only && !more.length && free.has(only.id) && nextOf(t.agencyCode).length === 1) {
      idOf.set(i, only.id);
      free.delete(only.id);
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
