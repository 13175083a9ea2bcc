/**
 * What the public page says about an MPP's week (DOMAIN.md, "Ground truth beyond self-reports").
 * Pure: the bureau's words (results, rule codes) become the citizen's, and a dispute shows only
 * once the bureau has confirmed it.
 */
export const PUBLIC_STATUSES = ['operating', 'limited', 'not_operating', 'no_report', 'closed'] as const;
export type PublicStatus = (typeof PUBLIC_STATUSES)[number];

export interface PublicWeekInput {
  /** The week's evaluation result, or null when the week has no result for the MPP. */
  result: string | null;
  disputeConfirmed: boolean;
  /** Retired on or before the week's Sunday. */
  retired: boolean;
}

export function publicStatus(week: PublicWeekInput): PublicStatus {
  if (week.retired) return 'closed';
  if (week.disputeConfirmed && (week.result === 'active' || week.result === 'at_risk')) return 'limited';
  switch (week.result) {
    case 'active':
    case 'at_risk':
      return 'operating';
    case 'inactive':
      return 'not_operating';
    case 'excused':
      return 'closed';
    default: // not_reporting, not_expected, or no result
      return 'no_report';
  }
}
