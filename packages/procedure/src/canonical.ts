/**
 * Canonical JSON (object keys sorted by UTF-16 code unit order, no whitespace, arrays in order)
 * and its SHA-256, used for the definition's content hash: the same definition gives the same
 * hash on every machine, whatever the key order in the source.
 */
import { createHash } from 'node:crypto';

/**
 * Canonical JSON text of `value`.
 *
 * @throws TypeError for values JSON cannot represent exactly (undefined, functions, symbols,
 * bigint, non-finite numbers) and for cycles.
 */
export function canonicalJson(value: unknown): string {
  return write(value, new Set(), '$');
}

function write(value: unknown, seen: Set<object>, path: string): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: non-finite number at ${path}`);
      return JSON.stringify(value);
    case 'object': {
      if (seen.has(value)) throw new TypeError(`canonicalJson: cycle at ${path}`);
      seen.add(value);
      let out: string;
      if (Array.isArray(value)) {
        out = `[${value.map((v, i) => write(v, seen, `${path}[${i}]`)).join(',')}]`;
      } else {
        const obj = value as Record<string, unknown>;
        const keys = Object.keys(obj)
          .filter((k) => obj[k] !== undefined)
          .sort();
        out = `{${keys.map((k) => `${JSON.stringify(k)}:${write(obj[k], seen, `${path}.${k}`)}`).join(',')}}`;
      }
      seen.delete(value);
      return out;
    }
    default:
      throw new TypeError(`canonicalJson: cannot represent ${typeof value} at ${path}`);
  }
}

/** Lower-case hex SHA-256 of the canonical JSON of `value`. */
export function contentHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value), 'utf8').digest('hex');
}
