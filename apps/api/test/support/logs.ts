import { PinoLogger } from 'nestjs-pino';
import pino from 'pino';

/**
 * Sends every line the app logs into `into` from now on: the request lines (the root pino-http
 * logger) and the app's own lines (Nest's Logger, written by nestjs-pino's out-of-context logger).
 * Both write to one destination, whose `write` is taken over.
 */
export function captureLogs(into: string[]): void {
  const root = PinoLogger.root as unknown as Record<symbol, { write(line: string): unknown }>;
  const destination = root[pino.symbols.streamSym];
  if (!destination) throw new Error('the app logger has no destination to capture');
  destination.write = (line: string) => {
    into.push(line);
    return true;
  };
}
