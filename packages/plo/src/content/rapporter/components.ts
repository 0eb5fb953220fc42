/**
 * Components shared by Helseopplysninger (HelseopplysningerVedSoknad), Innleggelsesrapport and
 * Utskrivningsrapport (TverrfagligEpikrise): medical diagnoses, typed free-text information,
 * service needs, existing services and stay events.
 *
 * In the official PLO schemas these components belong to poKomponent. The project's own
 * poKomponent schema holds only the components every PLO message shares, so these are declared
 * in each content schema's own namespace (a project choice, see README). Parsers accept them in
 * either namespace, so messages built with the official poKomponent are read too.
 */
import type { CodedValue } from '../../xml/helpers';
import { codeEl, el, findChild, childElements, optionalChildCode, optionalChildRawText, optionalChildText, requiredChildCode, textContent, textEl, invalidValue, isXsdDate, volvenOid } from '../../xml/helpers';
import type { XmlElement } from '../../xml/tree';
import type { IssueSink } from '../common/issues';
import { checkOptionalText, hasText } from '../common/issues';
import { checkCode } from '../../parties/check';
import { checkDate, checkRequiredText, checkVolvenCode } from '../model-issues';

export { checkRequiredText, checkVolvenCode };
import type { InformasjonOmForsendelsen, KontaktpersonHelsepersonell, TidsfestetHendelse, TilknyttetEnhet } from '../common/types';
import { PO_KOMPONENT_NS_V15, PO_KOMPONENT_NS_V16 } from '../common/types';
import {
  buildInformasjonOmForsendelsen,
  buildKontaktpersonHelsepersonell,
  buildTidsfestetHendelse,
  buildTilknyttetEnhet,
  checkInformasjonOmForsendelsen,
  checkKontaktpersonHelsepersonell,
  checkTidsfestetHendelse,
  checkTilknyttetEnhet,
  parseInformasjonOmForsendelsen,
  parseKontaktpersonHelsepersonell,
  parseTidsfestetHendelse,
  parseTilknyttetEnhet,
} from '../common/xml';
import { PloError } from '../../errors';

/** A content namespace and the poKomponent namespace of the same PLO version. */
export interface PloNamespaces {
  /** The message's own namespace (root element and message-specific components). */
  readonly content: string;
  /** poKomponent of the same PLO version. */
  readonly po: string;
}

/** Pair a content namespace with its poKomponent namespace: dated 2012-04-01 → v1.6, 2009-06-30 → v1.5. */
export function ploNamespaces(content: string): PloNamespaces {
  if (content.endsWith('/2012-04-01')) return { content, po: PO_KOMPONENT_NS_V16 };
  if (content.endsWith('/2009-06-30')) return { content, po: PO_KOMPONENT_NS_V15 };
  throw new PloError('ERR_PLO_UNSUPPORTED_VERSION', `PLO content namespace '${content}' is not supported`);
}

/** Children named `name` in the content or the poKomponent namespace. */
function children(parent: XmlElement, ns: PloNamespaces, name: string): XmlElement[] {
  const out = childElements(parent, ns.content, name);
  return out.length > 0 ? out : childElements(parent, ns.po, name);
}

/** First child named `name` in the content or the poKomponent namespace. */
export function child(parent: XmlElement, ns: PloNamespaces, name: string): XmlElement | undefined {
  return findChild(parent, ns.content, name) ?? findChild(parent, ns.po, name);
}

/** The namespace `element` was found in, for reading its own children. */
const own = (element: XmlElement): string => element.ns;

function readBool(element: XmlElement | undefined, path: string): boolean | undefined {
  if (element === undefined) return undefined;
  const t = textContent(element).trim();
  if (t === 'true' || t === '1') return true;
  if (t === 'false' || t === '0') return false;
  throw invalidValue(path, `'${String(t)}' is not a boolean`, element.line);
}

function compact<T extends object>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as T;
}

// ------------------------------------------------------------------ types

/** `MedisinskDiagnose` inside `InfoMedisinskDiagnose`: a diagnosis as a code, a text or both. */
export interface MedisinskDiagnose {
  /** `Diagnosekode` (CV, e.g. ICD-10 2.16.578.1.12.4.1.1.7110 or ICPC-2 ...7170). */
  readonly diagnosekode?: CodedValue;
  /** `DiagnoseBeskrivelse`: free text. */
  readonly diagnoseBeskrivelse?: string;
  /** `Hoveddiagnose`: true for the main diagnosis. */
  readonly hoveddiagnose?: boolean;
}

/**
 * Typed free-text information: `TypeOpplysning` (CV) and `Tekst`. Helseopplysninger uses
 * code list 9142 (e.g. AAI årsak til innleggelse, FO forløp og behandling, VU vurdering,
 * OP planer for videre oppfølging, HJ funksjonsnivå/hjelpetiltak); the nursing reports use 9141
 * (1 innkomststatus, 7 sykepleiediagnose, 8 sykepleiesammenfatning, 12 status ved utskrivning,
 * 13 pasientens egne vurderinger, 14 praktiske opplysninger, 88 annet).
 */
export interface Opplysning {
  /** `TypeOpplysning` (CV). The builder writes the code list's OID when `s` is absent. */
  readonly typeOpplysning: CodedValue;
  /** `Tekst`: mandatory free text. */
  readonly tekst: string;
}

/** `TjenesteBehov`: a municipal service the patient is expected to need. */
export interface Tjenestebehov {
  /** `IPLOStjenestetype` (CV, 9151). */
  readonly iplosTjenestetype?: CodedValue;
  /** `BetegnelseTjeneste`: name of the service when no code fits. */
  readonly betegnelseTjeneste?: string;
  /** `BeskrivelseAvTjeneste`: extent, frequency, wishes. */
  readonly beskrivelseAvTjeneste?: string;
}

/** `EksisterendeTjeneste`: a municipal service the patient already receives. */
export interface EksisterendeTjeneste {
  /** `IPLOStjenestetype` (CV, 9151). */
  readonly iplosTjenestetype?: CodedValue;
  /** `BetegnelseTjeneste`. */
  readonly betegnelseTjeneste?: string;
  /** `OpplysningerOmTjenesten`: extent, frequency. */
  readonly opplysningerOmTjenesten?: string;
  /** `Startdato`, `Sluttdato` (xs:date). */
  readonly startdato?: string;
  readonly sluttdato?: string;
  /** `Merknad`. */
  readonly merknad?: string;
}

/** Parts every report shares: sending information, contacts and the institution. */
export interface PloReportBase {
  /** `po:InformasjonOmForsendelsen` (7309 N/M/A/H/C/O/X). */
  readonly informasjonOmForsendelsen: InformasjonOmForsendelsen;
  /** `InfoMedisinskDiagnose/MedisinskDiagnose`. */
  readonly medisinskeDiagnoser?: readonly MedisinskDiagnose[];
  /** `po:TilknyttetEnhet`: the institution or service involved, e.g. the ward. */
  readonly tilknyttetEnhet?: readonly TilknyttetEnhet[];
  /** `po:KontaktpersonHelsepersonell`: who to contact about the patient. */
  readonly kontaktpersoner?: readonly KontaktpersonHelsepersonell[];
}

// ------------------------------------------------------------------ checks

/** Check the shared report parts. */
export function checkReportBase(issues: IssueSink, m: PloReportBase): void {
  checkInformasjonOmForsendelsen(issues, 'informasjonOmForsendelsen', m.informasjonOmForsendelsen);
  let main = 0;
  (m.medisinskeDiagnoser ?? []).forEach((d, i) => {
    const p = `medisinskeDiagnoser[${i}]`;
    checkCode(issues, `${p}.diagnosekode`, d.diagnosekode, false);
    checkOptionalText(issues, `${p}.diagnoseBeskrivelse`, d.diagnoseBeskrivelse);
    if (d.diagnosekode === undefined && !hasText(d.diagnoseBeskrivelse)) issues.add(p, 'a diagnosis needs a code or a description');
    if (d.hoveddiagnose === true) main++;
  });
  if (main > 1) issues.add('medisinskeDiagnoser', 'at most one main diagnosis (hoveddiagnose)');
  if (m.medisinskeDiagnoser !== undefined && m.medisinskeDiagnoser.length === 0) issues.add('medisinskeDiagnoser', 'leave out instead of giving an empty list');
  (m.tilknyttetEnhet ?? []).forEach((t, i) => checkTilknyttetEnhet(issues, `tilknyttetEnhet[${i}]`, t));
  (m.kontaktpersoner ?? []).forEach((k, i) => checkKontaktpersonHelsepersonell(issues, `kontaktpersoner[${i}]`, k));
}

/** Check typed free-text information against code list `system`. */
export function checkOpplysninger(issues: IssueSink, path: string, list: readonly Opplysning[] | undefined, system: number): void {
  (list ?? []).forEach((o, i) => {
    checkVolvenCode(issues, `${path}[${i}].typeOpplysning`, o.typeOpplysning, system, true);
    checkRequiredText(issues, `${path}[${i}].tekst`, o.tekst);
  });
}

/** Check service needs. */
export function checkTjenestebehov(issues: IssueSink, list: readonly Tjenestebehov[] | undefined): void {
  (list ?? []).forEach((t, i) => {
    const p = `tjenestebehov[${i}]`;
    if (t.iplosTjenestetype !== undefined) checkVolvenCode(issues, `${p}.iplosTjenestetype`, t.iplosTjenestetype, 9151, true);
    checkOptionalText(issues, `${p}.betegnelseTjeneste`, t.betegnelseTjeneste);
    checkOptionalText(issues, `${p}.beskrivelseAvTjeneste`, t.beskrivelseAvTjeneste);
    if (t.iplosTjenestetype === undefined && !hasText(t.betegnelseTjeneste) && !hasText(t.beskrivelseAvTjeneste)) {
      issues.add(p, 'a service need needs a service type, a name or a description');
    }
  });
}

/** Check existing services. */
export function checkEksisterendeTjenester(issues: IssueSink, list: readonly EksisterendeTjeneste[] | undefined): void {
  (list ?? []).forEach((t, i) => {
    const p = `eksisterendeTjenester[${i}]`;
    if (t.iplosTjenestetype !== undefined) checkVolvenCode(issues, `${p}.iplosTjenestetype`, t.iplosTjenestetype, 9151, true);
    checkOptionalText(issues, `${p}.betegnelseTjeneste`, t.betegnelseTjeneste);
    checkOptionalText(issues, `${p}.opplysningerOmTjenesten`, t.opplysningerOmTjenesten);
    checkOptionalText(issues, `${p}.merknad`, t.merknad);
    checkDate(issues, `${p}.startdato`, t.startdato);
    checkDate(issues, `${p}.sluttdato`, t.sluttdato);
    if (t.startdato !== undefined && t.sluttdato !== undefined && t.sluttdato < t.startdato) issues.add(`${p}.sluttdato`, 'is before startdato');
    if (t.iplosTjenestetype === undefined && !hasText(t.betegnelseTjeneste)) issues.add(p, 'an existing service needs a service type or a name');
  });
}

/** Check stay events (`OpplysningOpphold/TidsfestetHendelse`, 9121 codes, time required). */
export function checkOpphold(issues: IssueSink, list: readonly TidsfestetHendelse[] | undefined): void {
  (list ?? []).forEach((h, i) => {
    checkVolvenCode(issues, `opphold[${i}].hendelsekode`, h.hendelsekode, 9121, true);
    checkTidsfestetHendelse(issues, `opphold[${i}]`, h, true);
  });
}

// ------------------------------------------------------------------ build

const boolText = (b: boolean | undefined): string | undefined => (b === undefined ? undefined : String(b));

function withOid(code: CodedValue, system: number): CodedValue {
  return code.s === undefined ? { ...code, s: volvenOid(system) } : code;
}

/** `po:InformasjonOmForsendelsen` first child of every report. */
export function forsendelseEl(ns: PloNamespaces, m: PloReportBase): XmlElement {
  return buildInformasjonOmForsendelsen(ns.po, m.informasjonOmForsendelsen);
}

/** `TypeInnholdIMelding { TypeInnhold, Merknad? }`. */
export function typeInnholdEl(ns: PloNamespaces, code: CodedValue, merknad?: string): XmlElement {
  return el(ns.content, 'TypeInnholdIMelding', {}, [codeEl(ns.content, 'TypeInnhold', code), textEl(ns.content, 'Merknad', merknad)]);
}

/** `InfoMedisinskDiagnose`, or undefined without diagnoses. */
export function diagnoserEl(ns: PloNamespaces, list: readonly MedisinskDiagnose[] | undefined): XmlElement | undefined {
  if (list === undefined || list.length === 0) return undefined;
  const c = ns.content;
  return el(c, 'InfoMedisinskDiagnose', {}, list.map((d) =>
    el(c, 'MedisinskDiagnose', {}, [codeEl(c, 'Diagnosekode', d.diagnosekode), textEl(c, 'DiagnoseBeskrivelse', d.diagnoseBeskrivelse), textEl(c, 'Hoveddiagnose', boolText(d.hoveddiagnose))]),
  ));
}

/** One element `name { TypeOpplysning, Tekst }` per item. */
export function opplysningEls(ns: PloNamespaces, name: string, list: readonly Opplysning[] | undefined, system: number): XmlElement[] {
  const c = ns.content;
  return (list ?? []).map((o) => el(c, name, {}, [codeEl(c, 'TypeOpplysning', withOid(o.typeOpplysning, system)), textEl(c, 'Tekst', o.tekst)]));
}

/** `TjenesteBehov` elements. */
export function tjenestebehovEls(ns: PloNamespaces, list: readonly Tjenestebehov[] | undefined): XmlElement[] {
  const c = ns.content;
  return (list ?? []).map((t) =>
    el(c, 'TjenesteBehov', {}, [
      codeEl(c, 'IPLOStjenestetype', t.iplosTjenestetype === undefined ? undefined : withOid(t.iplosTjenestetype, 9151)),
      textEl(c, 'BetegnelseTjeneste', t.betegnelseTjeneste),
      textEl(c, 'BeskrivelseAvTjeneste', t.beskrivelseAvTjeneste),
    ]),
  );
}

/** `EksisterendeTjeneste` elements. */
export function eksisterendeTjenesteEls(ns: PloNamespaces, list: readonly EksisterendeTjeneste[] | undefined): XmlElement[] {
  const c = ns.content;
  return (list ?? []).map((t) =>
    el(c, 'EksisterendeTjeneste', {}, [
      codeEl(c, 'IPLOStjenestetype', t.iplosTjenestetype === undefined ? undefined : withOid(t.iplosTjenestetype, 9151)),
      textEl(c, 'BetegnelseTjeneste', t.betegnelseTjeneste),
      textEl(c, 'OpplysningerOmTjenesten', t.opplysningerOmTjenesten),
      textEl(c, 'Startdato', t.startdato),
      textEl(c, 'Sluttdato', t.sluttdato),
      textEl(c, 'Merknad', t.merknad),
    ]),
  );
}

/** `OpplysningOpphold { po:TidsfestetHendelse+ }`, or undefined without events. */
export function oppholdEl(ns: PloNamespaces, list: readonly TidsfestetHendelse[] | undefined): XmlElement | undefined {
  if (list === undefined || list.length === 0) return undefined;
  return el(ns.content, 'OpplysningOpphold', {}, list.map((h) => buildTidsfestetHendelse(ns.po, withOid9121(h))));
}

function withOid9121(h: TidsfestetHendelse): TidsfestetHendelse {
  return { ...h, hendelsekode: withOid(h.hendelsekode, 9121) };
}

/** `po:TilknyttetEnhet` and `po:KontaktpersonHelsepersonell` elements that close every report. */
export function closingEls(ns: PloNamespaces, m: PloReportBase): XmlElement[] {
  return [
    ...(m.tilknyttetEnhet ?? []).map((t) => buildTilknyttetEnhet(ns.po, t)),
    ...(m.kontaktpersoner ?? []).map((k) => buildKontaktpersonHelsepersonell(ns.po, k)),
  ];
}

/** Root element with namespace declarations for content, po and felleskomponent1. */
export function rootEl(ns: PloNamespaces, name: string, children: readonly (XmlElement | XmlElement[] | undefined)[]): XmlElement {
  return el(ns.content, name, {}, children, { '': ns.content, po: ns.po, fk1: 'http://www.kith.no/xmlstds/felleskomponent1' });
}

// ------------------------------------------------------------------ parse

/** Check the root element's name and namespace. */
export function checkRootElement(root: XmlElement, ns: PloNamespaces, name: string): void {
  if (root.ns !== ns.content || root.name !== name) {
    throw invalidValue(`/${root.name}`, `Expected ${name} in ${ns.content}, found {${root.ns}}${root.name}`, root.line);
  }
}

/** Read the shared report parts from the root. */
export function parseReportBase(root: XmlElement, ns: PloNamespaces): PloReportBase {
  const r = `/${root.name}`;
  const f = findChild(root, ns.po, 'InformasjonOmForsendelsen') ?? findChild(root, ns.content, 'InformasjonOmForsendelsen');
  if (f === undefined) throw new PloError('ERR_PLO_MISSING_ELEMENT', `Required element ${r}/InformasjonOmForsendelsen is missing`, { path: `${r}/InformasjonOmForsendelsen` });
  const info = child(root, ns, 'InfoMedisinskDiagnose');
  const diagnoser = info === undefined ? [] : childElements(info, own(info), 'MedisinskDiagnose').map((d, i) => {
    const p = `${r}/InfoMedisinskDiagnose/MedisinskDiagnose[${i + 1}]`;
    const c = own(d);
    return compact<MedisinskDiagnose>({
      diagnosekode: optionalChildCode(d, c, 'Diagnosekode', p),
      diagnoseBeskrivelse: optionalChildRawText(d, c, 'DiagnoseBeskrivelse'),
      hoveddiagnose: readBool(findChild(d, c, 'Hoveddiagnose'), `${p}/Hoveddiagnose`),
    });
  });
  const enheter = childElements(root, ns.po, 'TilknyttetEnhet').map((e, i) => parseTilknyttetEnhet(e, ns.po, `${r}/TilknyttetEnhet[${i + 1}]`));
  const kontakter = childElements(root, ns.po, 'KontaktpersonHelsepersonell').map((e, i) => parseKontaktpersonHelsepersonell(e, ns.po, `${r}/KontaktpersonHelsepersonell[${i + 1}]`));
  return compact<PloReportBase>({
    informasjonOmForsendelsen: parseInformasjonOmForsendelsen(f, own(f), `${r}/InformasjonOmForsendelsen`),
    medisinskeDiagnoser: diagnoser.length === 0 ? undefined : diagnoser,
    tilknyttetEnhet: enheter.length === 0 ? undefined : enheter,
    kontaktpersoner: kontakter.length === 0 ? undefined : kontakter,
  });
}

/** `TypeInnholdIMelding/TypeInnhold` and its `Merknad`, or undefined when absent. */
export function parseTypeInnhold(root: XmlElement, ns: PloNamespaces): { code: CodedValue; merknad?: string } | undefined {
  const t = child(root, ns, 'TypeInnholdIMelding');
  if (t === undefined) return undefined;
  const p = `/${root.name}/TypeInnholdIMelding`;
  const code = requiredChildCode(t, own(t), 'TypeInnhold', p);
  const merknad = optionalChildRawText(t, own(t), 'Merknad');
  return merknad === undefined ? { code } : { code, merknad };
}

/** Typed free-text elements `name { TypeOpplysning, Tekst }` under `parent`. */
export function parseOpplysninger(parent: XmlElement, ns: PloNamespaces, name: string, parentPath: string): Opplysning[] {
  return children(parent, ns, name).map((o, i) => {
    const p = `${parentPath}/${name}[${i + 1}]`;
    const tekst = optionalChildRawText(o, own(o), 'Tekst');
    if (tekst === undefined) throw new PloError('ERR_PLO_MISSING_ELEMENT', `Required element ${p}/Tekst is missing`, { path: `${p}/Tekst` });
    return { typeOpplysning: requiredChildCode(o, own(o), 'TypeOpplysning', p), tekst };
  });
}

/** `TjenesteBehov` children of the root. */
export function parseTjenestebehov(root: XmlElement, ns: PloNamespaces): Tjenestebehov[] {
  return children(root, ns, 'TjenesteBehov').map((t, i) =>
    compact<Tjenestebehov>({
      iplosTjenestetype: optionalChildCode(t, own(t), 'IPLOStjenestetype', `/${root.name}/TjenesteBehov[${i + 1}]`),
      betegnelseTjeneste: optionalChildRawText(t, own(t), 'BetegnelseTjeneste'),
      beskrivelseAvTjeneste: optionalChildRawText(t, own(t), 'BeskrivelseAvTjeneste'),
    }),
  );
}

/** `EksisterendeTjeneste` children of the root. */
export function parseEksisterendeTjenester(root: XmlElement, ns: PloNamespaces): EksisterendeTjeneste[] {
  return children(root, ns, 'EksisterendeTjeneste').map((t, i) => {
    const p = `/${root.name}/EksisterendeTjeneste[${i + 1}]`;
    const c = own(t);
    const dates = (name: string): string | undefined => {
      const v = optionalChildText(t, c, name);
      if (v !== undefined && !isXsdDate(v)) throw invalidValue(`${p}/${name}`, `'${v}' is not a date`, t.line);
      return v;
    };
    return compact<EksisterendeTjeneste>({
      iplosTjenestetype: optionalChildCode(t, c, 'IPLOStjenestetype', p),
      betegnelseTjeneste: optionalChildRawText(t, c, 'BetegnelseTjeneste'),
      opplysningerOmTjenesten: optionalChildRawText(t, c, 'OpplysningerOmTjenesten'),
      startdato: dates('Startdato'),
      sluttdato: dates('Sluttdato'),
      merknad: optionalChildRawText(t, c, 'Merknad'),
    });
  });
}

/** Events in `OpplysningOpphold`. */
export function parseOpphold(root: XmlElement, ns: PloNamespaces): TidsfestetHendelse[] {
  const o = child(root, ns, 'OpplysningOpphold');
  if (o === undefined) return [];
  return childElements(o, ns.po, 'TidsfestetHendelse').map((h, i) => parseTidsfestetHendelse(h, ns.po, `/${root.name}/OpplysningOpphold/TidsfestetHendelse[${i + 1}]`));
}

/** Boolean child in either namespace. */
export function parseBoolChild(parent: XmlElement, ns: PloNamespaces, name: string, parentPath: string): boolean | undefined {
  return readBool(child(parent, ns, name), `${parentPath}/${name}`);
}

/** A code with a non-empty value and, when given, an OID (list not checked). */
export function checkCodeOnly(issues: IssueSink, path: string, code: CodedValue | undefined): void {
  checkCode(issues, path, code, true);
}
