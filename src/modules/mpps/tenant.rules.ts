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
  /** The id of a stored tenant this one is (a form that lists the tenants sends it back); optional. */
  id?: string;
  name: string;
  services: string[];
  agencyCode: string | null;
}

export interface TenantChanges {
  /** Tenants kept (same id), with their new position, name, services and agency. */
  kept: (NextTenant & { id: string; position: number })[];
  added: (NextTenant & { position: number })[];
  removedIds: string[];
  /** Ids sent that are not among the stored tenants (another MPP's, or gone): a caller refuses them. */
  unknownIds: string[];
}

const key = (name: string) => name.toLowerCase().replace(/\s+/g, ' ').trim();

/**
 * Matches the new list to the stored one: first by id when given (a renamed tenant on the admin
 * page stays itself whatever its agency), then by name (case and spacing aside), then by agency
 * when the agency has exactly one stored and one new tenant ("Polres" renamed
 * "Polresta Kupang Kota" is still POLRI's tenant). Two banks of one agency left unmatched are not
 * guessed at: they are removed and added.
 */
export function planTenantChanges(stored: StoredTenant[], next: NextTenant[]): TenantChanges {
  const idOf = new Map<number, string>();
  const free = new Map(stored.map((s) => [s.id, s]));
  const byName = new Map(stored.map((s) => [key(s.name), s]));
  const unknownIds: string[] = [];
  next.forEach((t, i) => {
    if (t.id === undefined) return;
    if (free.has(t.id)) {
      idOf.set(i, t.id);
      free.delete(t.id);
    } else unknownIds.push(t.id);
  });
  next.forEach((t, i) => {
    if (idOf.has(i) || t.id !== undefined) return;
    const same = byName.get(key(t.name));
    if (same && free.has(same.id)) {
      idOf.set(i, same.id);
      free.delete(same.id);
    }
  });
  // Only an agency with one tenant on each side is matched by agency: with two banks stored, the
  // one left over after the name pass is not assumed to be the renamed one.
  const storedOf = (code: string) => stored.filter((s) => s.agencyCode === code);
  const nextOf = (code: string) => next.filter((t) => t.agencyCode === code);
  next.forEach((t, i) => {
    if (idOf.has(i) || t.id !== undefined || !t.agencyCode) return;
    const [only, ...others] = storedOf(t.agencyCode);
    if (only && !others.length && free.has(only.id) && nextOf(t.agencyCode).length === 1) {
      idOf.set(i, only.id);
      free.delete(only.id);
    }
  });
  const changes: TenantChanges = { kept: [], added: [], removedIds: [...free.keys()], unknownIds };
  next.forEach(({ id: _sent, ...t }, position) => {
    const id = idOf.get(position);
    if (id) changes.kept.push({ ...t, id, position });
    else changes.added.push({ ...t, position });
  });
  return changes;
}
