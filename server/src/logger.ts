import pino, { type Logger } from 'pino';

/** Paths whose values never reach the log (STYLE.md "Logging"). */
export const redactPaths = [
  'authorization',
  '*.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-hubspot-signature"]',
  'req.headers["x-hubspot-signature-v3"]',
  'accessToken',
  'refreshToken',
  'apiKey',
  'apiToken',
  'secret',
  'secretKey',
  'clientSecret',
  'password',
  'token',
  '*.accessToken',
  '*.refreshToken',
  '*.apiKey',
  '*.apiToken',
  '*.secret',
  '*.secretKey',
  '*.clientSecret',
  '*.password',
  '*.token',
  '*.credentials',
  'credentials',
];

export interface LoggerOptions {
  level?: string;
  /** Where lines go; default stdout. Tests pass a stream to assert on redaction. */
  destination?: pino.DestinationStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  return pino({ level: options.level ?? 'info', redact: { paths: redactPaths, censor: '[redacted]' } }, options.destination);
}

/** A logger that writes nothing, for tests and tools. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

export type { Logger };
