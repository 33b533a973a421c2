import { PinoLogger } from 'nestjs-pino';
import pino from 'pino';

/** Points the app's root pino logger (and its children) at `into`: every line it writes. */
export function captureLogs(into: string[]): void {
  const root = PinoLogger.root as unknown as Record<symbol, unknown>;
  root[pino.symbols.streamSym] = {
    write(line: string): void {
      into.push(line);
    },
  };
}
