/**
 * The partners in the address register file, for the downtime page: every organisation and service
 * that is not ours, grouped under its transport endpoint. The engine holds outgoing messages per
 * transport endpoint (the party whose `transport` carries the messages: usually the organisation,
 * or a service with a transport of its own), so manual mode is switched per endpoint.
 */
import { readFileSync } from 'node:fs';

/** One party of the register as the downtime page shows it. */
export interface RegisterPartner {
  readonly herId: number;
  readonly name: string;
  readonly kind: string;
  /** The HER-id of the transport endpoint that carries this party's messages (itself when it is one). */
  readonly endpointHerId: number;
  /** True when this party is a transport endpoint (manual mode can be switched for it). */
  readonly endpoint: boolean;
}

interface RawParty {
  readonly herId?: unknown;
  readonly name?: unknown;
  readonly kind?: unknown;
  readonly parentHerId?: unknown;
  readonly transport?: unknown;
}

const herOf = (v: unknown): number | undefined => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^[1-9][0-9]{0,9}$/.test(v) ? Number(v) : NaN;
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
};

/**
 * Reads the register file and lists every party that is not one of `ours` (nor under one of
 * ours), endpoints first, each followed by the services it carries. Undefined when the file cannot
 * be read (the page then shows only what the engine tracks).
 */
export function registerPartners(file: string, ours: ReadonlySet<number>): RegisterPartner[] | undefined {
  let parties: RawParty[];
  try {
    const doc = JSON.parse(readFileSync(file, 'utf8')) as { parties?: unknown };
    if (!Array.isArray(doc.parties)) return undefined;
    parties = doc.parties as RawParty[];
  } catch {
    return undefined;
  }
  const byHer = new Map<number, RawParty>();
  for (const p of parties) {
    const h = herOf(p.herId);
    if (h !== undefined) byHer.set(h, p);
  }
  const parentOf = (h: number): number | undefined => herOf(byHer.get(h)?.parentHerId);
  const lineage = (h: number): number[] => {
    const out: number[] = [];
    for (let cur: number | undefined = h; cur !== undefined && !out.includes(cur) && out.length < 16; cur = parentOf(cur)) out.push(cur);
    return out;
  };
  const endpointOf = (h: number): number => {
    const chain = lineage(h);
    return chain.find((x) => byHer.get(x)?.transport !== undefined) ?? chain[chain.length - 1] ?? h;
  };
  const list: RegisterPartner[] = [];
  for (const [h, p] of byHer) {
    if (lineage(h).some((x) => ours.has(x))) continue;
    const endpointHerId = endpointOf(h);
    list.push({ herId: h, name: typeof p.name === 'string' ? p.name : String(h), kind: typeof p.kind === 'string' ? p.kind : 'unknown', endpointHerId, endpoint: endpointHerId === h });
  }
  const endpoints = list.filter((p) => p.endpoint).sort((a, b) => a.name.localeCompare(b.name, 'nb'));
  const out: RegisterPartner[] = [];
  for (const e of endpoints) {
    out.push(e);
    out.push(...list.filter((p) => !p.endpoint && p.endpointHerId === e.herId).sort((a, b) => a.name.localeCompare(b.name, 'nb')));
  }
  // Services whose endpoint is not in the list (e.g. an endpoint that is ours) keep their place at the end.
  out.push(...list.filter((p) => !out.includes(p)));
  return out;
}
