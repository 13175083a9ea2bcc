import { SMTPServer } from 'smtp-server';

/**
 * A local SMTP server in its own process for the fan-out benchmark: accepts every message and
 * discards it. Prints its port on the first line of stdout.
 */
const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  maxClients: 200,
  onData(stream, _session, callback) {
    stream.on('data', () => undefined);
    stream.on('end', () => callback());
  },
});
server.listen(0, '127.0.0.1', () => {
  const address = server.server.address();
  console.log(typeof address === 'object' && address ? address.port : 0);
});
