import { ParsedMail, simpleParser } from 'mailparser';
import { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  to: string[];
  subject: string;
  text: string;
  html: string;
  messageId: string;
  parsed: ParsedMail;
}

type Reply = { code: number; message: string } | { delayMs: number } | 'accept' | 'hold';

/**
 * A real SMTP server in the test process (smtp-server + mailparser). Scripted replies make it
 * answer 4xx/5xx, or hold a message (never answer) while the test kills the sender.
 */
export class TestSmtpServer {
  readonly received: ReceivedMail[] = [];
  /** Replies to the next DATA commands, in order; empty = accept. */
  readonly script: Reply[] = [];
  /** Every DATA command seen, accepted or not. */
  attempts = 0;
  /** Recipients refused at RCPT TO with a 550, whatever the script says. */
  readonly refused = new Set<string>();
  /** Each RCPT TO seen, by address, refused or not. */
  readonly rcptAttempts = new Map<string, number>();
  /** Called when a message is accepted, before the 250 reaches the client. */
  onAccept?: (mail: ReceivedMail) => void;
  private server!: SMTPServer;
  private held: (() => void)[] = [];
  port = 0;

  static async start(port = 0): Promise<TestSmtpServer> {
    const s = new TestSmtpServer();
    await s.listen(port);
    return s;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  async listen(port = this.port): Promise<void> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      closeTimeout: 200,
      onRcptTo: (address, _session, callback) => {
        this.rcptAttempts.set(address.address, (this.rcptAttempts.get(address.address) ?? 0) + 1);
        if (!this.refused.has(address.address)) return callback();
        callback(Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 }));
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', async () => {
          this.attempts++;
          const reply = this.script.shift();
          if (reply === 'hold') {
            this.held.push(() => callback(Object.assign(new Error('released'), { responseCode: 451 })));
            return;
          }
          if (reply && typeof reply === 'object' && 'delayMs' in reply) await new Promise((r) => setTimeout(r, reply.delayMs));
          else if (reply && reply !== 'accept') return callback(Object.assign(new Error(reply.message), { responseCode: reply.code }));
          const parsed = await simpleParser(Buffer.concat(chunks));
          const mail: ReceivedMail = {
            to: session.envelope.rcptTo.map((r) => r.address).sort(),
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : '',
            messageId: parsed.messageId ?? '',
            parsed,
          };
          this.received.push(mail);
          this.onAccept?.(mail);
          callback();
        });
      },
    });
    this.server.on('error', () => undefined);
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as AddressInfo).port;
  }

  /** Stops listening and drops open connections (the server "goes down"). */
  async stop(): Promise<void> {
    this.release();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  get holding(): number {
    return this.held.length;
  }

  /** Answers the held messages with a 451 (a temporary failure: the sender retries them). */
  release(): void {
    for (const answer of this.held.splice(0)) answer();
  }

  async waitFor(count: number, timeoutMs = 20_000): Promise<ReceivedMail[]> {
    await waitUntil(
      () => this.received.length >= count,
      timeoutMs,
      () => `${this.received.length}/${count} emails received`,
    );
    return this.received;
  }
}

export async function waitUntil(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 20_000,
  what: () => string = () => 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting: ${what()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
