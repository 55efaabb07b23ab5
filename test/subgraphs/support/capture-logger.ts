// A pino logger whose lines the test can read (to check what is logged instead of returned).
import { pino, type Logger } from 'pino';

export function captureLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const logger = pino({ level: 'warn' }, { write: (line: string) => void lines.push(line) });
  return { logger, lines };
}
