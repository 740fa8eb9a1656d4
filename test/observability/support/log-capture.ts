import { PinoLogger } from 'nestjs-pino';
import pino from 'pino';

interface Writable {
  write(line: string): boolean;
}

/**
 * The application's log lines, parsed. The gateway is started with LOG_LEVEL=silent (no start-up
 * noise); this raises the level and takes over the destination of nestjs-pino's root logger, which
 * every request logger shares, so lines are kept here instead of written to stdout.
 */
export function captureLogs(level = 'info'): {
  lines: Array<Record<string, unknown>>;
  stop(): void;
} {
  const root = PinoLogger.root;
  const stream = (root as unknown as Record<symbol, Writable>)[pino.symbols.streamSym]!;
  const original = Object.getOwnPropertyDescriptor(stream, 'write');
  const previousLevel = root.level;
  const lines: Array<Record<string, unknown>> = [];
  stream.write = (line: string) => {
    for (const part of line.split('\n'))
      if (part.trim()) lines.push(JSON.parse(part) as Record<string, unknown>);
    return true;
  };
  root.level = level;
  return {
    lines,
    stop() {
      root.level = previousLevel;
      if (original) Object.defineProperty(stream, 'write', original);
      else delete (stream as Partial<Writable>).write;
    },
  };
}
