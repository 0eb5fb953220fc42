/**
 * Code lists (kodeverk) as typed data: the generated Volven extract merged with the hand-added
 * supplement, and lookups by system number or OID.
 */
import { PloError } from '../errors';
import type { CodeList, CodeListData, CodeListEntry } from './types';
import { VOLVEN_GENERATED } from './volven.generated';
import type {
  Volven7309Code,
  Volven7322Code,
  Volven8113Code,
  Volven8116Code,
  Volven8117Code,
  Volven8221Code,
  Volven8258Code,
  Volven8279Code,
  Volven9034Code,
  Volven9051Code,
  Volven9069Code,
  Volven9121Code,
  Volven9140Code,
} from './volven.generated';
import { VOLVEN_SUPPLEMENT } from './volven.supplement';
import type { Volven7309SupplementCode, Volven8114Code } from './volven.supplement';

/** OID prefix of Volven code systems; the system number follows. */
export const VOLVEN_OID_PREFIX = '2.16.578.1.12.4.1.1.';

/** MsgInfo/Type (8279): message type, e.g. `LOG_INNLAGT`, `APPREC`. */
export type MessageType = Volven8279Code;
/** AppRec Status (8258): 1 OK, 2 Avvist, 3 OK, feil i delmelding. */
export type AppRecStatus = Volven8258Code;
/** AppRec Error (8221): E10 … X99. */
export type AppRecErrorCode = Volven8221Code;
/** Pasientlogistikk event (9121): 1 innlagt, 2 utskrevet, 3 utskrivningsklar, 4 avmelding, 13 død. */
export type PatientlogistikkEvent = Volven9121Code;
/** Forsendelsesstatus (7309): N ny, M endring, A tillegg, H historikk, C kansellering, O oppdatert og erstatter, X annet. */
export type Forsendelsesstatus = Volven7309Code | Volven7309SupplementCode;
/** MsgInfo/ProcessingStatus (8113): P produksjon, D debugging, T opplæring. */
export type ProcessingStatus = Volven8113Code;
/** Person Ident/TypeId (8116), e.g. FNR, DNR, HNR, FHN. */
export type PersonIdType = Volven8116Code;
/** Organisation Ident/TypeId (9051), e.g. HER, ENH. */
export type OrganisationIdType = Volven9051Code;
/** Tilbakemelding om feil (8117): 1 feil adressat, 2 mangelfulle opplysninger, 9 annet. */
export type ErrorFeedbackType = Volven8117Code;
/** Dialogue request topic (7322), e.g. 7 = tilbakemelding på mottak av utskrivningsklar pasient. */
export type DialogTopic = Volven7322Code;
/** Answer status of Svar på forespørsel (9069). */
export type DialogAnswerStatus = Volven9069Code;
/** Helseopplysninger type (9140): 1 varsel om innlagt pasient, 2 oppdaterte opplysninger. */
export type HelseopplysningerType = Volven9140Code;
/** Role in relation to the patient (9034). */
export type RoleToPatient = Volven9034Code;
/** RefDoc/MsgType (8114): XML, A (vedlegg), REF. */
export type DocumentReferenceType = Volven8114Code;

function merge(generated: readonly CodeListData[], supplement: readonly CodeListData[]): ReadonlyMap<string, CodeList> {
  const lists = new Map<string, { system: string; oid: string; name?: string; codes: CodeListEntry[] }>();
  for (const list of generated) {
    lists.set(list.system, {
      system: list.system,
      oid: list.oid,
      ...(list.name === undefined ? {} : { name: list.name }),
      codes: list.codes.map((c) => Object.freeze({ code: c.code, displayName: c.displayName })),
    });
  }
  for (const list of supplement) {
    let target = lists.get(list.system);
    if (!target) {
      target = { system: list.system, oid: list.oid, ...(list.name === undefined ? {} : { name: list.name }), codes: [] };
      lists.set(list.system, target);
    }
    for (const c of list.codes) {
      // The extract wins when a later extract gains a code that is also supplemented.
      if (target.codes.some((e) => e.code === c.code)) continue;
      target.codes.push(Object.freeze({ code: c.code, displayName: c.displayName, supplement: true }));
    }
  }
  const sorted = [...lists.values()].sort((a, b) => Number(a.system) - Number(b.system));
  return new Map(sorted.map((l) => [l.system, Object.freeze({ ...l, codes: Object.freeze(l.codes) })]));
}

/** Every code list, keyed by Volven system number (`'8279'`), in system order. */
export const codeLists: ReadonlyMap<string, CodeList> = merge(VOLVEN_GENERATED, VOLVEN_SUPPLEMENT);

const displayNames = new Map<string, ReadonlyMap<string, string>>(
  [...codeLists.values()].map((l) => [l.system, new Map(l.codes.map((c) => [c.code, c.displayName]))]),
);

/** Normalises a system given as number, digit string or OID to the system number; undefined otherwise. */
function systemKey(system: string | number): string | undefined {
  if (typeof system === 'number') return Number.isSafeInteger(system) && system > 0 ? String(system) : undefined;
  if (typeof system !== 'string') return undefined;
  if (/^[1-9][0-9]*$/.test(system)) return system;
  return systemFromOid(system);
}

/**
 * The code list for a Volven system, given as number (`8279`), string (`'8279'`) or OID, or
 * `undefined` when the list is not among the bundled ones.
 */
export function getCodeList(system: string | number): CodeList | undefined {
  const key = systemKey(system);
  return key === undefined ? undefined : codeLists.get(key);
}

/** True when `code` is in the bundled list for `system` (number, string or OID). Case-sensitive. */
export function isKnownCode(system: string | number, code: string): boolean {
  const key = systemKey(system);
  if (key === undefined || typeof code !== 'string') return false;
  return displayNames.get(key)?.has(code) ?? false;
}

/** The display name (DN) of a code, or `undefined` when the system or code is unknown. */
export function codeDisplayName(system: string | number, code: string): string | undefined {
  const key = systemKey(system);
  if (key === undefined) return undefined;
  return displayNames.get(key)?.get(code);
}

/**
 * The OID of a Volven code system: `2.16.578.1.12.4.1.1.<system>`. Works for any system number,
 * bundled or not.
 *
 * @throws TypeError when `system` is not a positive integer or digit string.
 */
export function codeSystemOid(system: string | number): string {
  const text = typeof system === 'number' ? String(system) : system;
  if (typeof text !== 'string' || !/^[1-9][0-9]*$/.test(text)) {
    throw new TypeError('codeSystemOid expects a Volven system number');
  }
  return VOLVEN_OID_PREFIX + text;
}

/** The system number of a Volven OID (`'2.16.578.1.12.4.1.1.8279'` → `'8279'`), or `undefined` for other OIDs. */
export function systemFromOid(oid: string): string | undefined {
  if (typeof oid !== 'string' || !oid.startsWith(VOLVEN_OID_PREFIX)) return undefined;
  const rest = oid.slice(VOLVEN_OID_PREFIX.length);
  return /^[1-9][0-9]*$/.test(rest) ? rest : undefined;
}

/**
 * Returns the display name of a code that must be in its list.
 *
 * @throws PloError `ERR_PLO_UNKNOWN_CODE` when the system or code is not bundled.
 */
export function assertKnownCode(system: string | number, code: string): string {
  const name = codeDisplayName(system, code);
  if (name === undefined) {
    throw new PloError('ERR_PLO_UNKNOWN_CODE', `Code ${JSON.stringify(String(code))} is not in code list ${String(system)}`);
  }
  return name;
}
