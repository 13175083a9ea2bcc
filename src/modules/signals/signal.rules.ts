import { addDays, isCalendarDate } from '../../common/time/iso-week';

/** How far back a machine may report a day (a kiosk that was offline sends yesterday's count). */
export const PING_DAYS_BACK = 7;

export interface PingInput {
  date?: string;
  tickets?: string;
  transactions?: string;
}

export interface Ping {
  date: string;
  tickets: number | null;
  transactions: number | null;
}

const COUNT = /^\d{1,7}$/;

/**
 * A ping's day and counts, from its query string: the day defaults to today in the MPP's zone and
 * may be up to a week back, never ahead; counts are whole numbers up to 9,999,999. Returns the
 * problems instead when any part is wrong.
 */
export function parsePing(input: PingInput, today: string): Ping | { problems: { field: string; problem: string }[] } {
  const problems: { field: string; problem: string }[] = [];
  const date = input.date ?? today;
  if (!isCalendarDate(date)) problems.push({ field: 'date', problem: 'must be a date YYYY-MM-DD' });
  else if (date > today) problems.push({ field: 'date', problem: 'must not be in the future (the MPP’s local date)' });
  else if (date < addDays(today, -PING_DAYS_BACK))
    problems.push({ field: 'date', problem: `must be within the last ${PING_DAYS_BACK} days` });
  const count = (field: 'tickets' | 'transactions') => {
    const raw = input[field];
    if (raw === undefined || raw === '') return null;
    if (!COUNT.test(raw)) {
      problems.push({ field, problem: 'must be a whole number from 0 to 9999999' });
      return null;
    }
    return Number(raw);
  };
  const tickets = count('tickets');
  const transactions = count('transactions');
  return problems.length ? { problems } : { date, tickets, transactions };
}
