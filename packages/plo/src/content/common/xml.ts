/**
 * Build, parse and check the common PLO components (poKomponent). `po` is the poKomponent
 * namespace in use (v1.6 when building; v1.6 or v1.5 when parsing). Element order inside each
 * component follows the published PLO structure as far as it could be learned (see README.md).
 */
import type { XmlElement } from '../../xml/tree';
import type { CodedValue } from '../../xml/helpers';
import {
  codeEl,
  el,
  findChild,
  invalidValue,
  isXsdDate,
  isXsdDateTime,
  optionalChildCode,
  optionalChildRawText,
  optionalChildText,
  requireChild,
  requiredAttr,
  requiredChildCode,
  textEl,
  volvenOid,
} from '../../xml/helpers';
import { FELLESKOMPONENT1_NS, healthcareProfessionalChildren, organisationChildren, parseBoolean, parseHealthcareProfessional, parseOrganisation } from '../../parties/xml';
import type { IssueSink } from './issues';
import { checkOptionalText } from './issues';
import { checkHealthcareProfessional, checkOrganisation } from '../../parties/check';
import type {
  Forsendelsesstatus,
  InformasjonOmForsendelsen,
  KontaktpersonHelsepersonell,
  TidsfestetHendelse,
  TilknyttetEnhet,
  UtskrevetTil,
} from './types';
import { FORSENDELSESSTATUS_NAMES } from './types';

const boolText = (b: boolean | undefined): string | undefined => (b === undefined ? undefined : String(b));

function optionalBool(parent: XmlElement, ns: string, name: string, path: string): boolean | undefined {
  const t = optionalChildText(parent, ns, name);
  return t === undefined ? undefined : parseBoolean(t, `${path}/${name}`);
}

function isForsendelsesstatus(v: string): v is Forsendelsesstatus {
  return Object.prototype.hasOwnProperty.call(FORSENDELSESSTATUS_NAMES, v);
}

// --- InformasjonOmForsendelsen ---

/** `po:InformasjonOmForsendelsen` element. */
export function buildInformasjonOmForsendelsen(po: string, m: InformasjonOmForsendelsen): XmlElement {
  return el(po, 'InformasjonOmForsendelsen', {}, [
    codeEl(po, 'Forsendelsesstatus', { v: m.forsendelsesstatus, s: volvenOid(7309), dn: FORSENDELSESSTATUS_NAMES[m.forsendelsesstatus] }),
    textEl(po, 'ForbeholdOmVideresending', boolText(m.forbeholdOmVideresending)),
    textEl(po, 'SvarPaaForesporsel', boolText(m.svarPaaForesporsel)),
  ]);
}

/** Read `po:InformasjonOmForsendelsen` (`element` is that element, `path` its path). */
export function parseInformasjonOmForsendelsen(element: XmlElement, po: string, path: string): InformasjonOmForsendelsen {
  const code = requiredChildCode(element, po, 'Forsendelsesstatus', path);
  if (!isForsendelsesstatus(code.v)) throw invalidValue(`${path}/Forsendelsesstatus/@V`, `'${code.v}' is not a Forsendelsesstatus (7309)`);
  const forbehold = optionalBool(element, po, 'ForbeholdOmVideresending', path);
  const svar = optionalBool(element, po, 'SvarPaaForesporsel', path);
  return {
    forsendelsesstatus: code.v,
    ...(forbehold === undefined ? {} : { forbeholdOmVideresending: forbehold }),
    ...(svar === undefined ? {} : { svarPaaForesporsel: svar }),
  };
}

/** Check an {@link InformasjonOmForsendelsen} model. */
export function checkInformasjonOmForsendelsen(issues: IssueSink, path: string, m: InformasjonOmForsendelsen | undefined): void {
  if (m === undefined || m === null) {
    issues.add(path, 'is required');
    return;
  }
  if (typeof m.forsendelsesstatus !== 'string' || !isForsendelsesstatus(m.forsendelsesstatus)) {
    issues.add(`${path}.forsendelsesstatus`, `'${String(m.forsendelsesstatus)}' is not a Forsendelsesstatus (7309: N, M, A, H, C, O, X)`);
  }
}

// --- TidsfestetHendelse ---

/** `po:TidsfestetHendelse` element. */
export function buildTidsfestetHendelse(po: string, h: TidsfestetHendelse): XmlElement {
  return el(po, 'TidsfestetHendelse', {}, [
    codeEl(po, 'Hendelsekode', h.hendelsekode),
    h.tidspunkt === undefined ? undefined : el(po, 'TidspunktForHendelse', { V: h.tidspunkt }),
    textEl(po, 'Anslag', boolText(h.anslag)),
    h.sted === undefined ? undefined : el(po, 'StedForHendelse', {}, [textEl(po, 'StedHendelse', h.sted)]),
    textEl(po, 'BeskrivelseAvHendelse', h.beskrivelse),
    textEl(po, 'Merknad', h.merknad),
  ]);
}

/** Read `po:TidsfestetHendelse`. */
export function parseTidsfestetHendelse(element: XmlElement, po: string, path: string): TidsfestetHendelse {
  const hendelsekode: CodedValue = requiredChildCode(element, po, 'Hendelsekode', path);
  const out: { -readonly [K in keyof TidsfestetHendelse]: TidsfestetHendelse[K] } = { hendelsekode };
  const t = findChild(element, po, 'TidspunktForHendelse');
  if (t !== undefined) {
    const tp = `${path}/TidspunktForHendelse`;
    const v = requiredAttr(t, 'V', tp);
    if (!isXsdDateTime(v) && !isXsdDate(v)) throw invalidValue(`${tp}/@V`, `'${v}' is not a date or date-time`, t.line);
    out.tidspunkt = v;
  }
  const anslag = optionalBool(element, po, 'Anslag', path);
  if (anslag !== undefined) out.anslag = anslag;
  const sted = findChild(element, po, 'StedForHendelse');
  if (sted !== undefined) {
    const s = optionalChildRawText(sted, po, 'StedHendelse');
    if (s !== undefined) out.sted = s;
  }
  const b = optionalChildRawText(element, po, 'BeskrivelseAvHendelse');
  if (b !== undefined) out.beskrivelse = b;
  const m = optionalChildRawText(element, po, 'Merknad');
  if (m !== undefined) out.merknad = m;
  return out;
}

/** Check the free parts of a {@link TidsfestetHendelse} (the code is checked by the caller). */
export function checkTidsfestetHendelse(issues: IssueSink, path: string, h: Omit<TidsfestetHendelse, 'hendelsekode'>, requireTime: boolean): void {
  if (h.tidspunkt === undefined) {
    if (requireTime) issues.add(`${path}.tidspunkt`, 'event time is required');
  } else if (typeof h.tidspunkt !== 'string' || (!isXsdDateTime(h.tidspunkt) && !isXsdDate(h.tidspunkt))) {
    issues.add(`${path}.tidspunkt`, `'${String(h.tidspunkt)}' is not an xs:dateTime or xs:date`);
  }
  checkOptionalText(issues, `${path}.sted`, h.sted);
  checkOptionalText(issues, `${path}.beskrivelse`, h.beskrivelse);
  checkOptionalText(issues, `${path}.merknad`, h.merknad);
}

// --- UtskrevetTil ---

/** `po:UtskrevetTil` element. */
export function buildUtskrevetTil(po: string, u: UtskrevetTil): XmlElement {
  return el(po, 'UtskrevetTil', {}, [codeEl(po, 'UtTil', u.utTil), codeEl(po, 'Uttilstand', u.uttilstand), textEl(po, 'Merknad', u.merknad)]);
}

/** Read `po:UtskrevetTil`. */
export function parseUtskrevetTil(element: XmlElement, po: string, path: string): UtskrevetTil {
  const utTil = requiredChildCode(element, po, 'UtTil', path);
  const uttilstand = optionalChildCode(element, po, 'Uttilstand', path);
  const merknad = optionalChildRawText(element, po, 'Merknad');
  return {
    utTil,
    ...(uttilstand === undefined ? {} : { uttilstand }),
    ...(merknad === undefined ? {} : { merknad }),
  };
}

// --- TilknyttetEnhet, KontaktpersonHelsepersonell ---

/** `po:TilknyttetEnhet` element; `Kontaktenhet` children in felleskomponent1. */
export function buildTilknyttetEnhet(po: string, t: TilknyttetEnhet): XmlElement {
  return el(po, 'TilknyttetEnhet', {}, [
    el(po, 'Kontaktenhet', {}, organisationChildren(FELLESKOMPONENT1_NS, t.kontaktenhet, 'fk1')),
    textEl(po, 'Merknad', t.merknad),
  ]);
}

/** Read `po:TilknyttetEnhet`. */
export function parseTilknyttetEnhet(element: XmlElement, po: string, path: string): TilknyttetEnhet {
  const k = requireChild(element, po, 'Kontaktenhet', path);
  const kontaktenhet = parseOrganisation(k, FELLESKOMPONENT1_NS, `${path}/Kontaktenhet`);
  const merknad = optionalChildRawText(element, po, 'Merknad');
  return merknad === undefined ? { kontaktenhet } : { kontaktenhet, merknad };
}

/** Check a {@link TilknyttetEnhet}. */
export function checkTilknyttetEnhet(issues: IssueSink, path: string, t: TilknyttetEnhet): void {
  checkOrganisation(issues, `${path}.kontaktenhet`, t.kontaktenhet, { requireHerId: false, allowHealthcareProfessional: false });
  checkOptionalText(issues, `${path}.merknad`, t.merknad);
}

/** `po:KontaktpersonHelsepersonell` element; `Kontaktperson` children in felleskomponent1. */
export function buildKontaktpersonHelsepersonell(po: string, k: KontaktpersonHelsepersonell): XmlElement {
  return el(po, 'KontaktpersonHelsepersonell', {}, [
    el(po, 'Kontaktperson', {}, healthcareProfessionalChildren(FELLESKOMPONENT1_NS, k.kontaktperson)),
    textEl(po, 'Merknad', k.merknad),
  ]);
}

/** Read `po:KontaktpersonHelsepersonell`. */
export function parseKontaktpersonHelsepersonell(element: XmlElement, po: string, path: string): KontaktpersonHelsepersonell {
  const k = requireChild(element, po, 'Kontaktperson', path);
  const kontaktperson = parseHealthcareProfessional(k, FELLESKOMPONENT1_NS, `${path}/Kontaktperson`);
  const merknad = optionalChildRawText(element, po, 'Merknad');
  return merknad === undefined ? { kontaktperson } : { kontaktperson, merknad };
}

/** Check a {@link KontaktpersonHelsepersonell}. */
export function checkKontaktpersonHelsepersonell(issues: IssueSink, path: string, k: KontaktpersonHelsepersonell): void {
  checkHealthcareProfessional(issues, `${path}.kontaktperson`, k.kontaktperson);
  checkOptionalText(issues, `${path}.merknad`, k.merknad);
}
