import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * National rollout (issue 17): the national list of tenant agencies (literal rows; tenants point
 * at one when their name matches), users invited without a password (a set-password link instead)
 * with a phone number, single-use password tokens stored as sha256 hashes, and the two account
 * emails in the outbox.
 */
export class SupportNationalRollout1764301300000 implements MigrationInterface {
  name = 'SupportNationalRollout1764301300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE agencies (
        code        text        PRIMARY KEY CHECK (code ~ '^[A-Z0-9_]{2,40}$'),
        name        text        NOT NULL,
        -- Other names a tenant may be registered under (matched case-insensitively, also as a prefix).
        aliases     text[]      NOT NULL DEFAULT '{}',
        created_at  timestamptz NOT NULL DEFAULT now()
      );
      INSERT INTO agencies (code, name, aliases) VALUES
        ('DISDUKCAPIL', 'Dinas Kependudukan dan Pencatatan Sipil', '{Disdukcapil,Dukcapil,"Dinas Dukcapil"}'),
        ('POLRI', 'Kepolisian Negara Republik Indonesia', '{Polri,Polres,Polresta,Polrestabes,Polda,Polsek,Kepolisian}'),
        ('IMIGRASI', 'Kantor Imigrasi', '{Imigrasi,"Kantor Imigrasi",Kanim}'),
        ('DJP', 'Direktorat Jenderal Pajak', '{"Ditjen Pajak",DJP,KPP,"Kantor Pelayanan Pajak",KP2KP,Pajak}'),
        ('BPJS_KESEHATAN', 'BPJS Kesehatan', '{"BPJS Kesehatan"}'),
        ('BPJS_KETENAGAKERJAAN', 'BPJS Ketenagakerjaan', '{"BPJS Ketenagakerjaan","BPJS TK","BP Jamsostek"}'),
        ('SAMSAT', 'Samsat / Badan Pendapatan Daerah', '{Samsat,Bapenda,"Badan Pendapatan Daerah","UPTD PPD"}'),
        ('ATR_BPN', 'Kementerian ATR/BPN (Kantor Pertanahan)', '{"ATR/BPN",BPN,ATR,"Kantor Pertanahan"}'),
        ('KEMENAG', 'Kementerian Agama', '{Kemenag,"Kementerian Agama","Kantor Kementerian Agama",KUA}'),
        ('DPMPTSP', 'Dinas Penanaman Modal dan PTSP', '{DPMPTSP,PTSP,"Dinas Penanaman Modal"}'),
        ('BANK_BRI', 'Bank Rakyat Indonesia', '{BRI,"Bank BRI"}'),
        ('BANK_BNI', 'Bank Negara Indonesia', '{BNI,"Bank BNI"}'),
        ('BANK_MANDIRI', 'Bank Mandiri', '{Mandiri,"Bank Mandiri"}'),
        ('BANK_BSI', 'Bank Syariah Indonesia', '{BSI,"Bank BSI","Bank Syariah Indonesia"}'),
        ('BPD', 'Bank Pembangunan Daerah', '{BPD,"Bank Daerah","Bank NTT","Bank Jatim","Bank Jateng","Bank BJB","Bank DKI","Bank Sumut","Bank Aceh","Bank Kalbar","Bank Kalteng","Bank Sulselbar","Bank Sulteng","Bank Papua","Bank Bali","Bank BPD Bali","Bank Lampung","Bank Banten"}'),
        ('PLN', 'PT PLN (Persero)', '{PLN,"ULP PLN"}'),
        ('PDAM', 'Perusahaan Daerah Air Minum', '{PDAM,"Perumda Air Minum"}'),
        ('PENGADILAN_AGAMA', 'Pengadilan Agama', '{"Pengadilan Agama",PA}'),
        ('PENGADILAN_NEGERI', 'Pengadilan Negeri', '{"Pengadilan Negeri",PN}'),
        ('KEJAKSAAN', 'Kejaksaan Negeri', '{Kejaksaan,Kejari,"Kejaksaan Negeri"}'),
        ('TASPEN', 'PT Taspen (Persero)', '{Taspen}'),
        ('ASABRI', 'PT Asabri (Persero)', '{Asabri}'),
        ('POS_INDONESIA', 'PT Pos Indonesia', '{"Pos Indonesia","Kantor Pos"}'),
        ('BPOM', 'Badan Pengawas Obat dan Makanan', '{BPOM,"Balai POM","Loka POM"}'),
        ('KEMENKUMHAM', 'Kementerian Hukum (Kanwil)', '{Kemenkumham,Kemenkum,"Kanwil Kemenkumham"}'),
        ('DINKES', 'Dinas Kesehatan', '{Dinkes,"Dinas Kesehatan"}'),
        ('DISNAKER', 'Dinas Tenaga Kerja', '{Disnaker,Disnakertrans,"Dinas Tenaga Kerja"}'),
        ('DISHUB', 'Dinas Perhubungan', '{Dishub,"Dinas Perhubungan"}'),
        ('PEGADAIAN', 'PT Pegadaian', '{Pegadaian}'),
        ('KARANTINA', 'Badan Karantina Indonesia', '{Karantina,"Balai Karantina"}');

      ALTER TABLE mpp_tenants ADD COLUMN agency_code text REFERENCES agencies(code);
      CREATE INDEX mpp_tenants_agency_idx ON mpp_tenants (agency_code);

      -- An invited user has no password until they set one through their link.
      ALTER TABLE users ALTER COLUMN password_hash DROP NOT NULL;

      CREATE TABLE password_tokens (
        id          uuid        PRIMARY KEY,
        user_id     uuid        NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        purpose     text        NOT NULL CHECK (purpose IN ('invitation', 'reset')),
        -- sha256 of the token; the token itself is never stored.
        token_hash  text        NOT NULL UNIQUE,
        expires_at  timestamptz NOT NULL,
        used_at     timestamptz,
        created_at  timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX password_tokens_user_idx ON password_tokens (user_id);

      ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check;
      ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check
        CHECK (kind IN ('manager_reminder', 'bureau_escalation', 'ministry_digest', 'account_invitation', 'password_reset'));
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DELETE FROM notifications WHERE kind IN ('account_invitation', 'password_reset');
      ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check;
      ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check
        CHECK (kind IN ('manager_reminder', 'bureau_escalation', 'ministry_digest'));
      DROP TABLE password_tokens;
      UPDATE users SET password_hash = '!' WHERE password_hash IS NULL;
      ALTER TABLE users ALTER COLUMN password_hash SET NOT NULL;
      DROP INDEX mpp_tenants_agency_idx;
      ALTER TABLE mpp_tenants DROP COLUMN agency_code;
      DROP TABLE agencies;
    `);
  }
}
