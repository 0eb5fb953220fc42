/**
 * Parties as the engine needs them: MsgHead organisations built from the address register,
 * ancestry checks, and the patient's identifier.
 */
import { herIdent, orgNumberIdent } from '@samhandling/plo';
import type { Organisation, Person } from '@samhandling/plo';
import type { AddressRegister, Party } from '../address-register/types';

/** The party and its ancestors, the party first. Unknown HER-id: empty. */
export async function lineageOf(ar: AddressRegister, herId: string): Promise<Party[]> {
  const out: Party[] = [];
  const seen = new Set<string>();
  let current = await ar.lookup(herId);
  while (current !== undefined && !seen.has(current.herId)) {
    seen.add(current.herId);
    out.push(current);
    current = current.parentHerId === undefined ? undefined : await ar.lookup(current.parentHerId);
  }
  return out;
}

/** The top-level organisation's HER-id of a party (itself when it has no parent or is unknown). */
export async function rootHerId(ar: AddressRegister, herId: string): Promise<string> {
  const chain = await lineageOf(ar, herId);
  return chain[chain.length - 1]?.herId ?? herId;
}

/** True when `a` and `b` are the same party or one is an ancestor of the other. */
export async function sameParty(ar: AddressRegister, a: string, b: string): Promise<boolean> {
  if (a === b) return true;
  const [la, lb] = await Promise.all([lineageOf(ar, a), lineageOf(ar, b)]);
  return la.some((p) => p.herId === b) || lb.some((p) => p.herId === a);
}

/**
 * The MsgHead `Organisation` for a HER-id: the top-level organisation with its HER-id and
 * organisation number, nesting down to the addressed party (the deepest HER-id addresses it).
 * Persons are left out of the nesting (their nearest organisation or service is used).
 *
 * @returns undefined when the HER-id is not in the register.
 */
export async function organisationFor(ar: AddressRegister, herId: string): Promise<Organisation | undefined> {
  const all = await lineageOf(ar, herId);
  if (all.length === 0) return undefined;
  const organisations = all.filter((p) => p.kind !== 'person');
  const chain = organisations.length === 0 ? all : organisations;
  let org: Organisation | undefined;
  for (const p of chain) {
    const idents = [herIdent(p.herId), ...(p.organisationNumber === undefined ? [] : [orgNumberIdent(p.organisationNumber)])];
    org = { name: p.name, idents, ...(org === undefined ? {} : { organisation: org }) };
  }
  return org;
}

const PERSON_ID_TYPES = ['FNR', 'DNR', 'HNR', 'FHN'];

/** The patient's fødselsnummer (or D-, H-, FH-number) from a MsgHead Patient, when there is one. */
export function patientIdOf(patient: Person | undefined): string | undefined {
  if (patient === undefined) return undefined;
  for (const type of PERSON_ID_TYPES) {
    const ident = patient.idents.find((i) => i.typeId.v === type && /^\d{11}$/.test(i.id));
    if (ident !== undefined) return ident.id;
  }
  return undefined;
}

/** The patient's display name (family name, given name). */
export function patientNameOf(patient: Person | undefined): string | undefined {
  if (patient === undefined) return undefined;
  const parts = [patient.familyName, [patient.givenName, patient.middleName].filter(Boolean).join(' ')].filter((s) => s !== undefined && s !== '');
  return parts.length === 0 ? undefined : parts.join(', ');
}

/**
 * `org` cut below its deepest level that has one of `ours` as HER-id: the party an answer (an
 * AppRec) may speak for. Undefined when no level is ours.
 */
export function ourPartOf(org: Organisation, ours: ReadonlySet<string>): Organisation | undefined {
  const below = org.organisation === undefined ? undefined : ourPartOf(org.organisation, ours);
  if (below !== undefined) return { ...org, organisation: below };
  const her = org.idents.find((i) => i.typeId.v === 'HER')?.id;
  if (her === undefined || !ours.has(her)) return undefined;
  if (org.organisation === undefined) return org;
  const { organisation: _notOurs, ...level } = org;
  return level;
}
