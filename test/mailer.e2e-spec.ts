import { simpleParser } from 'mailparser';
import { mkdtempSync, readFileSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { buildConfig } from '../src/config/app-config';
import { Mailer } from '../src/modules/mail/mailer';

const mail = {
  to: ['biro.ntt@mpp-monitor.test'],
  subject: '[MPP Monitor] 1 MPP di Nusa Tenggara Timur perlu tindak lanjut — Minggu 2026-W48',
  text: 'MPP Kota Kupang tidak aktif.',
  html: '<p>MPP Kota Kupang tidak aktif.</p>',
  key: 'bureau_escalation:2026-W48:53',
};

describe('Mailer transports', () => {
  it('without SMTP_URL writes each message as an .eml file under DATA_DIR/mail', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mpp-mail-'));
    const mailer = new Mailer(
      buildConfig({
        DATABASE_URL: 'postgres://x@h/test',
        DATA_DIR: dataDir,
        JWT_SECRET: 'k'.repeat(8) + 'Zq8v3LrT0pWm6xYk2NcHs9JbEfGa4UdR',
      }),
    );
    const sent = await mailer.send(mail);
    expect(sent.destination).toBe(join(dataDir, 'mail', 'bureau_escalation_2026-W48_53.eml'));
    const parsed = await simpleParser(readFileSync(sent.destination));
    expect(parsed.subject).toBe(mail.subject);
    expect(parsed.text?.trim()).toBe(mail.text);
    expect(parsed.messageId).toBe(sent.messageId);
    mailer.onModuleDestroy();
  });

  it('with SMTP_URL delivers to the SMTP server', async () => {
    const received: string[] = [];
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, _session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          received.push(Buffer.concat(chunks).toString());
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.server.address() as AddressInfo).port;
    const mailer = new Mailer(
      buildConfig({
        DATABASE_URL: 'postgres://x@h/test',
        SMTP_URL: `smtp://127.0.0.1:${port}`,
        DATA_DIR: mkdtempSync(join(tmpdir(), 'mpp-mail-')),
        JWT_SECRET: 'k'.repeat(8) + 'Zq8v3LrT0pWm6xYk2NcHs9JbEfGa4UdR',
      }),
    );
    try {
      const sent = await mailer.send(mail);
      expect(sent.destination).toMatch(/^250/);
      expect(received).toHaveLength(1);
      const parsed = await simpleParser(received[0]);
      expect(parsed.to).toMatchObject({ text: 'biro.ntt@mpp-monitor.test' });
      expect(parsed.subject).toBe(mail.subject);
    } finally {
      mailer.onModuleDestroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
