/**
 * SQL fragment: `s.since_week`, the week a flag `f` was last (re)opened — its latest `open` event
 * (system events carry the evaluated week). Shared by escalations, the digest and the reports so
 * they all count "open since" the same way.
 */
export const FLAG_SINCE_WEEK = `CROSS JOIN LATERAL (
    SELECT coalesce(max(fe.week), f.opened_week) AS since_week FROM flag_events fe WHERE fe.flag_id = f.id AND fe.to_state = 'open'
  ) s`;
