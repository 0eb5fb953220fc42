import { readFile } from 'node:fs/promises';
import type { CliIO } from '../src/command';

/** A CliIO that records output; files are read from disk unless `files` provides them by absolute path. */
export interface CapturedIO extends CliIO {
  readonly out: string[];
  readonly err: string[];
  stdoutText(): string;
  stderrText(): string;
}

export function captureIO(opts: { cwd?: string; files?: Record<string, string | Uint8Array>; stdin?: string } = {}): CapturedIO {
  const out: string[] = [];
  const err: string[] = [];
  const files = opts.files ?? {};
  const io: CapturedIO = {
    out,
    err,
    stdout: (s) => void out.push(s),
    stderr: (s) => void err.push(s),
    env: {},
    cwd: opts.cwd ?? process.cwd(),
    async readFile(p) {
      const f = files[p];
      if (f !== undefined) return typeof f === 'string' ? new TextEncoder().encode(f) : f;
      return readFile(p);
    },
    stdoutText: () => out.join(''),
    stderrText: () => err.join(''),
  };
  if (opts.stdin !== undefined) {
    const stdin = opts.stdin;
    return { ...io, readStdin: async () => new TextEncoder().encode(stdin) };
  }
  return io;
}
