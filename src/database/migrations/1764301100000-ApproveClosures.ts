import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Closures with a reason category and an approval: a manager's closure that starts in the past
 * or lasts more than 14 days waits for the province's bureau, and only approved closures excuse.
 * Withdrawn and rejected closures stay as history. The old `kind` becomes the category.
 */
export class ApproveClosures1764301100000 implements MigrationInterface {
  name = 'ApproveClosures1764301100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE planned_closures
        ADD COLUMN category text,
        ADD COLUMN status text NOT NULL DEFAULT 'approved'
          CHECK (status IN ('approved', 'pending_approval', 'rejected', 'withdrawn')),
        ADD COLUMN decided_by uuid REFERENCES users(id),
        ADD COLUMN decided_at timestamptz,
        ADD COLUMN decision_note text,
        ADD COLUMN updated_by uuid REFERENCES users(id),
        ADD COLUMN updated_at timestamptz;
      UPDATE planned_closures SET category = CASE kind WHEN 'holiday' THEN 'planned' ELSE kind END, updated_at = created_at;
      ALTER TABLE planned_closures
        ALTER COLUMN category SET NOT NULL,
        ALTER COLUMN status DROP DEFAULT,
        ADD CONSTRAINT planned_closures_category_check
          CHECK (category IN ('planned', 'disaster', 'renovation', 'relocation', 'outage', 'other')),
        DROP COLUMN kind;
      CREATE INDEX planned_closures_pending_idx ON planned_closures (mpp_id) WHERE status = 'pending_approval';
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    // Before approvals every closure excused: only the approved ones go back.
    await q.query(`
      DELETE FROM planned_closures WHERE status <> 'approved';
      DROP INDEX planned_closures_pending_idx;
      ALTER TABLE planned_closures ADD COLUMN kind text;
      UPDATE planned_closures SET kind = CASE category WHEN 'planned' THEN 'holiday' WHEN 'renovation' THEN 'renovation'
                                                       WHEN 'disaster' THEN 'disaster' ELSE 'other' END;
      ALTER TABLE planned_closures
        ALTER COLUMN kind SET NOT NULL,
        ADD CONSTRAINT planned_closures_kind_check CHECK (kind IN ('renovation', 'disaster', 'holiday', 'other')),
        DROP COLUMN category, DROP COLUMN status, DROP COLUMN decided_by, DROP COLUMN decided_at,
        DROP COLUMN decision_note, DROP COLUMN updated_by, DROP COLUMN updated_at;
    `);
  }
}
