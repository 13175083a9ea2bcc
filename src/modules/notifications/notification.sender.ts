import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { UnrecoverableError } from 'bullmq';
import { DataSource } from 'typeorm';
import { Batcher } from '../../common/batching/batcher';
import { Semaphore } from '../../common/batching/semaphore';
import { Metrics } from '../../common/observability/metrics';
import { AppConfig } from '../../config/app-config';
import { CheckInLinks } from '../auth/check-in-links';
import { passwordTokenOf } from '../users/password-tokens';
import { Mailer } from '../mail/mailer';
import { EmailTemplates } from './email-templates';
import { DigestPayload, EscalationPayload, ReceiptPayload, ReminderPayload } from './notification.types';
import { EMAILS } from './notification.metrics';
import { Clock } from '../../common/clock';
import { bureauHead } from '../../common/i18n/bureau-title';
import { IndonesianTimezone, TIMEZONE_OFFSET_MINUTES, timezoneOfProvince } from '../../common/time/timezones';
import { readEvaluationSettings } from '../cycles/evaluation-settings.service';
import { respondBy } from '../flags/flag.rules';
import { FlagEscalationsRepository } from '../flags/flag-escalations.repository';
import { ClaimedRow, OutboxRepository, SentRecord } from './outbox.repository';

/** What one job's delivery did: rows sent, and rows left alone (already sent, dead, or leased elsewhere). */
export interface DeliveryOutcome {
  sent: number;
  skipped: number;
}

/** One row's failed attempt, as recorded. */
interface Failure {
  dead: boolean;
  error: string;
}

/**
 * Sent records of concurrent deliveries share one UPDATE (natural batching, no timer): under load
 * one commit records many emails, yet each is recorded as soon as it can be, and its sending slot
 * waits for it, so a crash re-sends at most one email per slot. One row at most once per batch.
 * (A 20 ms wait for more records halved the UPDATEs of a fan-out but held every slot that long.)
 */
const SENT_BATCHING = { maxBatch: 100, maxInFlight: 1 };

/**
 * A claimed row still waiting for a free sending slot after this share of its lease is given back
 * unsent: a send that starts by then ends (SMTP socket timeout 30 s) well before a 60 s lease lapses.
 */
const SEND_BY_LEASE_SHARE = 0.25;

/**
 * Delivers a job's outbox rows: claim them (a lease, so two workers never send one at once), then
 * render, send and record each, at most `notify.concurrency` emails in flight in this process. The
 * rows are the truth; the job only says which rows.
 */
@Injectable()
export class NotificationSender {
  private readonly logger = new Logger(NotificationSender.name);
  /**
   * A job completes only once the `sent` records of its emails are committed; a crash between an SMTP reply and its commit re-sends only the unrecorded ones, with
   * the same Message-ID (at-least-once, recognisable as repeats).
   */
  private readonly sentRecords = new Batcher<SentRecord, true>((records) => this.markSentBatch(records), {
    ...SENT_BATCHING,
    key: (r) => r.id,
  });
  /** Emails being rendered and sent, across the jobs this process runs at once. */
  private readonly sending: Semaphore;

  constructor(
    // Only for the evaluation settings, which cycles reads through a manager (readEvaluationSettings).
    @InjectDataSource() private readonly db: DataSource,
    private readonly outbox: OutboxRepository,
    private readonly flags: FlagEscalationsRepository,
    private readonly mailer: Mailer,
    private readonly templates: EmailTemplates,
    private readonly config: AppConfig,
    private readonly metrics: Metrics,
    private readonly links: CheckInLinks,
    private readonly clock: Clock,
  ) {
    this.sending = new Semaphore(config.notify.concurrency);
  }

  /**
   * One claiming UPDATE for the job's rows, then each claimed row delivered concurrently. Throws
   * when a row failed, so BullMQ retries the job with backoff (its retry claims only the rows not
   * yet sent); UnrecoverableError when every failed row is dead.
   */
  async deliver(ids: string[]): Promise<DeliveryOutcome> {
    const { leaseMs } = this.config.notify;
    const sendBy = performance.now() + leaseMs * SEND_BY_LEASE_SHARE;
    const rows = await this.outbox.claim(ids, leaseMs / 1000);
    const settled = await Promise.allSettled(rows.map((row) => this.deliverRow(row, sendBy)));
    const outcomes = settled.map((s) => (s.status === 'fulfilled' ? s.value : { dead: false, error: describe(s.reason) }));
    const late = rows.filter((_, i) => outcomes[i] === 'late');
    // Given back unsent (attempt not counted): the job's retry claims them again.
    if (late.length) {
      await this.outbox.release(late);
      this.logger.warn(
        { event: 'emails_given_back', count: late.length, of: rows.length },
        'Emails waited too long for a sending slot; given back unsent, to be retried',
      );
    }
    const failures = outcomes.filter((o): o is Failure => typeof o === 'object');
    const retrying = failures.filter((f) => !f.dead);
    if (retrying.length || late.length) {
      const reason = retrying[0]?.error ?? 'waited too long for a sending slot';
      throw new Error(`${retrying.length + late.length} of ${rows.length} emails not sent, to be retried: ${reason}`);
    }
    // Dead rows: stop BullMQ's retries; they stay visible and an admin may retry them.
    if (failures.length) throw new UnrecoverableError(failures[0].error);
    return { sent: rows.length, skipped: ids.length - rows.length };
  }

  /** Renders, sends and records one claimed row; answers its failure, recorded, or 'late' when not sent by `sendBy`. */
  private async deliverRow(row: ClaimedRow, sendBy: number): Promise<'sent' | 'late' | Failure> {
    let subject: string | null = null;
    try {
      const sent = await this.sending.run(async () => {
        // Its lease must outlast the send: a row still waiting this late is given back instead.
        if (performance.now() > sendBy) return null;
        // Read before the send, so marking it sent is one statement with nothing left to fail between.
        const firstEmailed = row.kind === 'bureau_escalation' ? await this.firstEmailedRule(row) : null;
        const email = this.templates.render(row.kind, row.locale, await this.context(row));
        subject = email.subject;
        // The Message-ID is the row's: a repeat after a crash is recognisable as the same email.
        const mail = await this.mailer.send({
          to: row.recipients,
          subject: email.subject,
          text: email.text,
          html: email.html,
          key: `${row.kind}.${row.week}.${row.id}`,
        });
        const record = { id: row.id, messageId: mail.messageId, smtpResponse: mail.destination, subject };
        // Recorded before the slot is freed, so a slot never sends its next email before the last
        // one is recorded: a crash re-sends at most one email per slot. An escalation's sent mark
        // and its flags' first-emailed clock are one statement (see markSent); every other email's
        // sent mark joins the next batched UPDATE, shared by the slots waiting at that moment.
        if (firstEmailed) await this.markEscalationSent(record, firstEmailed);
        else await this.sentRecords.submit(record);
        return record;
      });
      if (!sent) return 'late';
      this.metrics.counter(EMAILS).inc({ kind: row.kind, outcome: 'sent' });
      this.logger.log(
        { event: 'email_sent', id: row.id, kind: row.kind, week: row.week, attempts: row.attempts, recipients: row.recipients.length },
        'Email sent',
      );
      return 'sent';
    } catch (e) {
      const error = describe(e);
      const dead = row.attempts >= row.maxAttempts;
      await this.outbox.recordFailure(row.id, dead ? 'dead' : 'failed', error, subject);
      this.metrics.counter(EMAILS).inc({ kind: row.kind, outcome: dead ? 'dead' : 'failed' });
      this.logger.warn(
        { event: dead ? 'email_dead' : 'email_failed', id: row.id, kind: row.kind, attempts: row.attempts, err: error },
        dead ? 'Email dead after its last attempt' : 'Email failed; retrying with backoff',
      );
      return { dead, error };
    }
  }

  private async markSentBatch(records: SentRecord[]): Promise<true[]> {
    await this.outbox.markSent(records);
    return records.map(() => true);
  }

  /** Links are built at send time from APP_URL, so they follow the deployment's address. */
  private async context(row: ClaimedRow): Promise<Record<string, unknown>> {
    const base = this.config.appUrl;
    const signature = { contact: this.config.monitoringContact };
    if (row.kind === 'check_in_receipt') {
      const p = row.payload as unknown as ReceiptPayload;
      return { ...p, ...signature, updated: p.revision > 1, link: `${base}/check-in/${p.mppId}/${row.week}`, week: row.week };
    }
    if (row.kind === 'manager_reminder' || row.kind === 'manager_friday_reminder') {
      const p = row.payload as unknown as ReminderPayload;
      // One-click links: signed for the manager this reminder goes to, one MPP and this week.
      const userId = row.scope.split(':')[1];
      const mpps = p.mpps.map((m) => ({
        ...m,
        link: this.links.url({ userId, mppId: m.id, week: row.week }, p.timezone, new Date(p.deadline)),
      }));
      return { ...p, ...signature, mpps, single: mpps.length === 1, week: row.week };
    }
    if (row.kind === 'bureau_escalation') {
      const p = row.payload as unknown as EscalationPayload;
      const timezone = p.timezone ?? timezoneOfProvince(p.provinceCode);
      const due = await this.respondByOf(p, timezone);
      return {
        ...p,
        ...signature,
        timezone,
        addressee: bureauHead(p.provinceName, p.bureauTitle, row.locale),
        respondBy: due.soonest,
        flags: p.flags.map((f) => ({ ...f, link: `${base}/flags/${f.id}`, respondBy: due.byFlag.get(f.id) })),
        // A disputed MPP with a case listed here links to it; the case page shows all the evidence.
        disputes: (p.disputes ?? []).map((d) => {
          const flag = p.flags.find((f) => f.mppId === d.mppId);
          return { ...d, link: flag ? `${base}/flags/${flag.id}` : null, moreNotes: d.notesTotal - d.evidence.notes.length };
        }),
        week: row.week,
      };
    }
    if (row.kind === 'account_invitation' || row.kind === 'password_reset') {
      // The link's token is derived here, at send time, from the token row's id: it is never stored.
      const token = passwordTokenOf(this.config.jwt.secret, String(row.payload.tokenId));
      return { ...row.payload, ...signature, link: `${base}/password/set?token=${token}`, week: row.week };
    }
    if (row.kind === 'ministry_digest') {
      // Bars of the inactive trend scaled to the week with the most (200 px), at least 2 px when non-zero.
      const trend = (row.payload as unknown as DigestPayload).inactiveTrend ?? [];
      const most = Math.max(1, ...trend.map((p) => p.inactive));
      const inactiveTrend = trend.map((p) => ({ ...p, bar: p.inactive ? Math.max(2, Math.round((200 * p.inactive) / most)) : 0 }));
      return { ...row.payload, ...signature, inactiveTrend, week: row.week };
    }
    return { ...row.payload, ...signature, week: row.week };
  }

  /**
   * The response deadline each listed flag carries: the one set when the bureau was first emailed,
   * or, for flags this email is the first about, the one it sets (respondBy rule, at send time).
   */
  private async respondByOf(p: EscalationPayload, timezone: IndonesianTimezone): Promise<{ byFlag: Map<string, string>; soonest: string }> {
    const settings = await readEvaluationSettings(this.db.manager);
    const fresh = respondBy(this.clock.now(), TIMEZONE_OFFSET_MINUTES[timezone], settings.respondByWeekday).toISOString();
    const stored = await this.flags.respondBy(p.flags.map((f) => f.id));
    const byFlag = new Map(stored.map((f) => [f.id, f.respondBy ? new Date(f.respondBy).toISOString() : fresh]));
    return { byFlag, soonest: fresh };
  }

  private async firstEmailedRule(row: ClaimedRow): Promise<{ flagIds: string[]; offsetMinutes: number; weekday: number }> {
    const p = row.payload as unknown as EscalationPayload;
    const timezone = p.timezone ?? timezoneOfProvince(p.provinceCode);
    const { respondByWeekday } = await readEvaluationSettings(this.db.manager);
    return { flagIds: p.flags.map((f) => f.id), offsetMinutes: TIMEZONE_OFFSET_MINUTES[timezone], weekday: respondByWeekday };
  }

  /** The sent mark and the flags' first-emailed clock in one statement (OutboxRepository.markEscalationSent). */
  private async markEscalationSent(
    record: SentRecord,
    firstEmailed: { flagIds: string[]; offsetMinutes: number; weekday: number },
  ): Promise<void> {
    const now = this.clock.now();
    await this.outbox.markEscalationSent(
      record,
      firstEmailed.flagIds,
      now,
      respondBy(now, firstEmailed.offsetMinutes, firstEmailed.weekday),
    );
  }
}

/** SMTP errors carry the server's reply; keep it (it is what an operator needs to see). */
function describe(e: unknown): string {
  const err = e as { message?: string; response?: string; responseCode?: number; code?: string };
  const detail = err.response ?? err.message ?? String(e);
  return [err.code, detail].filter(Boolean).join(': ').slice(0, 1000);
}
