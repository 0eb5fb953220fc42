/**
 * A tiny structured JSON logger (one object per line on stdout). Application logs never carry
 * patient data: callers log identifiers (MsgId, inbox id, route templates, client ids), and as a
 * second line of defence every string value has 11-digit runs (a fødselsnummer's shape) masked.
 * Correlation: pass `msgId` in the fields; `child({ msgId })` binds it for a whole flow.
 */

/** Log levels, lowest first. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const ORDER: Readonly<Record<LogLevel, number>> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Field values a log line may carry. */
export type LogValue = string | number | boolean | null | undefined | object;

/** Structured fields of one log line. */
export type LogFields = Readonly<Record<string, LogValue>>;

/** The logger interface the app uses. */
export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line (e.g. `{ msgId }`). */
  child(fields: LogFields): Logger;
}

/** Masks anything shaped like a fødselsnummer (11 digits in a row). */
export function maskPersonIds(s: string): string {
  return s.replace(/(?<!\d)\d{11}(?!\d)/g, '***********');
}

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  readonly level?: LogLevel;
  /** Where lines go; default stdout. */
  readonly write?: (line: string) => void;
  readonly clock?: () => Date;
  readonly base?: LogFields;
}

/** A JSON-lines logger. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const min = ORDER[options.level ?? 'info'];
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const clock = options.clock ?? (() => new Date());
  const make = (base: LogFields): Logger => {
    const emit = (level: LogLevel, msg: string, fields: LogFields = {}): void => {
      if (ORDER[level] < min) return;
      const out: Record<string, LogValue> = { time: clock().toISOString(), level, msg: maskPersonIds(msg) };
      for (const [k, v] of Object.entries({ ...base, ...fields })) {
        if (v === undefined) continue;
        out[k] = typeof v === 'string' ? maskPersonIds(v) : typeof v === 'object' && v !== null ? (JSON.parse(maskPersonIds(JSON.stringify(v))) as object) : v;
      }
      write(JSON.stringify(out));
    };
    return {
      debug: (m, f) => emit('debug', m, f),
      info: (m, f) => emit('info', m, f),
      warn: (m, f) => emit('warn', m, f),
      error: (m, f) => emit('error', m, f),
      child: (f) => make({ ...base, ...f }),
    };
  };
  return make(options.base ?? {});
}
