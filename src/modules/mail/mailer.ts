import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer, { Transporter } from 'nodemailer';
import { AppConfig } from '../../config/app-config';

export interface OutgoingMail {
  to: string[];
  subject: string;
  text: string;
  html?: string;
  /** Stable id used as the Message-ID's local part and the .eml file name (idempotent re-sends). */
  key: string;
}

export interface SentMail {
  messageId: string;
  /** Where it went: the SMTP server's reply, or the .eml file written. */
  destination: string;
}

/**
 * The one way out for email. With SMTP_URL: a pooled SMTP transport. Without it: nothing leaves
 * the machine; each message is written as an .eml file under DATA_DIR/mail and logged, so a new
 * user sees exactly what would have been sent.
 */
@Injectable()
export class Mailer implements OnModuleDestroy {
  private readonly logger = new Logger(Mailer.name);
  private readonly transport: Transporter;
  private readonly mailDir: string;
  /** The Message-ID's domain (parsed once: a URL parse per email showed in the fan-out profile). */
  private readonly messageIdHost: string;

  constructor(private readonly config: AppConfig) {
    this.mailDir = join(config.dataDir, 'mail');
    this.messageIdHost = new URL(config.appUrl).hostname || 'mpp-monitor.local';
    this.transport = config.smtpUrl
      ? nodemailer.createTransport({
          url: config.smtpUrl,
          pool: true,
          maxConnections: config.smtpPoolSize,
          maxMessages: 1000,
          connectionTimeout: 10_000,
          greetingTimeout: 10_000,
          socketTimeout: 30_000,
        } as never)
      : nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  }

  async send(mail: OutgoingMail): Promise<SentMail> {
    const messageId = `<${mail.key.replace(/[^\w.-]/g, '.')}@${this.messageIdHost}>`;
    const info = await this.transport.sendMail({
      from: this.config.mailFrom,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      messageId,
    });
    if (this.config.smtpUrl) return { messageId, destination: String(info.response ?? 'smtp') };
    mkdirSync(this.mailDir, { recursive: true });
    const file = join(this.mailDir, `${mail.key.replace(/[^\w.-]/g, '_')}.eml`);
    writeFileSync(file, info.message as Buffer);
    this.logger.log({ event: 'mail_written', to: mail.to, subject: mail.subject, file }, `Email written to ${file} (no SMTP_URL)`);
    return { messageId, destination: file };
  }

  onModuleDestroy(): void {
    this.transport.close();
  }
}
