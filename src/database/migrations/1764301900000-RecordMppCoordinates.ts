import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Where an MPP stands (issue 17 item 4), optional, for the public page's map link: WGS 84 degrees,
 * both or neither. The API narrows the range to Indonesia; the database only refuses what is no
 * place on Earth.
 */
export class RecordMppCoordinates1764301900000 implements MigrationInterface {
  name = 'RecordMppCoordinates1764301900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE mpps ADD COLUMN latitude double precision CHECK (latitude BETWEEN -90 AND 90),
                       ADD COLUMN longitude double precision CHECK (longitude BETWEEN -180 AND 180),
                       ADD CONSTRAINT mpps_coordinates_both CHECK ((latitude IS NULL) = (longitude IS NULL));
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE mpps DROP CONSTRAINT mpps_coordinates_both, DROP COLUMN longitude, DROP COLUMN latitude;`);
  }
}
