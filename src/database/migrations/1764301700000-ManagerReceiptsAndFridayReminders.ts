import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 16 item 6, the manager hears back: a receipt after each check-in revision and a reminder
 * when the check-in window opens on Friday, both outbox rows like every other email.
 */
export class ManagerReceiptsAndFridayReminders1764301700000 implements MigrationInterface {
  name = 'ManagerReceiptsAndFridayReminders1764301700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check;
      ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check
        CHECK (kind IN ('manager_reminder', 'manager_friday_reminder', 'check_in_receipt', 'bureau_escalation', 'ministry_digest',
                        'account_invitation', 'password_reset'));
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DELETE FROM notifications WHERE kind IN ('manager_friday_reminder', 'check_in_receipt');
      DELETE FROM notification_plans WHERE kind = 'manager_friday_reminder';
      ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check;
      ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check
        CHECK (kind IN ('manager_reminder', 'bureau_escalation', 'ministry_digest', 'account_invitation', 'password_reset'));
    `);
  }
}
