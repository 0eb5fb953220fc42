/**
 * Helseopplysninger (`HELSEOPPL_SOKNAD`), PLO v1.6: the hospital's notice to the municipality's
 * saksbehandling. Content root `HelseopplysningerVedSoknad` in
 * `http://www.kith.no/xmlstds/po/HelseopplysningerVedSoknad/2012-04-01` (v1.5
 * `.../2009-06-30` is read too).
 *
 * Sent within 24 hours of admission when the patient is expected to need municipal services
 * after discharge (9140 = 1, varsel om innlagt pasient) and again on changes (9140 = 2,
 * oppdaterte opplysninger): expected status, course, expected discharge time, diagnoses and needs.
 */
import type { CodedValue } from '../../xml/helpers';
import type { XmlElement } from '../../xml/tree';
import { codeDisplayName } from '../../codelists/codelists';
import { volvenOid } from '../../xml/helpers';
import type { MessageTypeDefinition } from '../../registry/types';
import { PloError } from '../../errors';
import { Issues, checkOptionalText } from '../common/issues';
import type { TidsfestetHendelse } from '../common/types';
import type { Opplysning, PloReportBase, Tjenestebehov } from '../rapporter/components';
import {
  checkOpphold,
  checkOpplysninger,
  checkReportBase,
  checkRootElement,
  checkTjenestebehov,
  child,
  closingEls,
  diagnoserEl,
  forsendelseEl,
  oppholdEl,
  opplysningEls,
  parseBoolChild,
  parseOpphold,
  parseOpplysninger,
  parseReportBase,
  parseTjenestebehov,
  parseTypeInnhold,
  ploNamespaces,
  rootEl,
  tjenestebehovEls,
  typeInnholdEl,
} from '../rapporter/components';
import { el, textEl, optionalChildRawText } from '../../xml/helpers';

/** PLO v1.6 namespace of HelseopplysningerVedSoknad (built and read). */
export const HELSEOPPLYSNINGER_NS_V16 = 'http://www.kith.no/xmlstds/po/HelseopplysningerVedSoknad/2012-04-01';
/** PLO v1.5 namespace of HelseopplysningerVedSoknad (read only). */
export const HELSEOPPLYSNINGER_NS_V15 = 'http://www.kith.no/xmlstds/po/HelseopplysningerVedSoknad/2009-06-30';

/** Kind of Helseopplysninger (9140): 1 varsel om innlagt pasient, 2 oppdaterte opplysninger. */
export type HelseopplysningerType = '1' | '2';

/**
 * Model of `HelseopplysningerVedSoknad` (PLO v1.6, message type `HELSEOPPL_SOKNAD`).
 *
 * Element order: `po:InformasjonOmForsendelsen`, `TypeInnholdIMelding`, `InfoMedisinskDiagnose`,
 * `Helseopplysning*`, `OpplysningOpphold`, `TjenesteBehov*`, `OpplysningerTilSoknad`,
 * `po:TilknyttetEnhet*`, `po:KontaktpersonHelsepersonell*`.
 */
export interface Helseopplysninger extends PloReportBase {
  /** `TypeInnholdIMelding/TypeInnhold` (9140). */
  readonly typeInnhold: HelseopplysningerType;
  /** `TypeInnholdIMelding/Merknad`. */
  readonly merknadTilInnhold?: string;
  /**
   * `Helseopplysning { TypeOpplysning (9142), Tekst }`: the free-text sections, e.g. AAI årsak
   * til innleggelse, FO forløp og behandling, VU vurdering (forventet status), OP planer,
   * HJ funksjonsnivå/hjelpetiltak.
   */
  readonly opplysninger?: readonly Opplysning[];
  /**
   * `OpplysningOpphold/po:TidsfestetHendelse`: stay events with a time. Admission is 9121 = 1; the
   * expected discharge time is 9121 = 2 with `anslag: true`.
   */
  readonly opphold?: readonly TidsfestetHendelse[];
  /** `TjenesteBehov`: services the patient is expected to need after discharge. */
  readonly tjenestebehov?: readonly Tjenestebehov[];
  /** `OpplysningerTilSoknad/EgensoknadSendt`: the patient has sent an application of their own. */
  readonly egensoknadSendt?: boolean;
  /** `OpplysningerTilSoknad/Merknad`. */
  readonly merknadTilSoknad?: string;
}

/**
 * Build `HelseopplysningerVedSoknad` content.
 *
 * @throws PloError `ERR_PLO_INVALID_MODEL` listing every problem: a typeInnhold outside 9140,
 *   blank free text, codes outside 9142/9151/9121, a notice that carries no information, ...
 */
export function buildHelseopplysningerContent(m: Helseopplysninger, namespace: string = HELSEOPPLYSNINGER_NS_V16): XmlElement {
  if (namespace !== HELSEOPPLYSNINGER_NS_V16 && namespace !== HELSEOPPLYSNINGER_NS_V15) throw new RangeError(`Not a HelseopplysningerVedSoknad namespace: '${namespace}'`);
  const ns = ploNamespaces(namespace);
  const issues = new Issues();
  checkReportBase(issues, m);
  if (m.typeInnhold !== '1' && m.typeInnhold !== '2') issues.add('typeInnhold', `'${String(m.typeInnhold)}' is not a code in kodeverk 9140 (1, 2)`);
  checkOptionalText(issues, 'merknadTilInnhold', m.merknadTilInnhold);
  checkOpplysninger(issues, 'opplysninger', m.opplysninger, 9142);
  checkOpphold(issues, m.opphold);
  checkTjenestebehov(issues, m.tjenestebehov);
  checkOptionalText(issues, 'merknadTilSoknad', m.merknadTilSoknad);
  if (m.merknadTilSoknad !== undefined && m.egensoknadSendt === undefined) issues.add('egensoknadSendt', 'is required when merknadTilSoknad is given');
  if ((m.opplysninger ?? []).length === 0 && (m.medisinskeDiagnoser ?? []).length === 0 && (m.tjenestebehov ?? []).length === 0) {
    issues.add('opplysninger', 'Helseopplysninger must carry information: give opplysninger, medisinskeDiagnoser or tjenestebehov');
  }
  issues.throwIfAny('HELSEOPPL_SOKNAD');

  const dn = codeDisplayName(9140, m.typeInnhold);
  const type: CodedValue = { v: m.typeInnhold, s: volvenOid(9140), ...(dn === undefined ? {} : { dn }) };
  const c = ns.content;
  return rootEl(ns, 'HelseopplysningerVedSoknad', [
    forsendelseEl(ns, m),
    typeInnholdEl(ns, type, m.merknadTilInnhold),
    diagnoserEl(ns, m.medisinskeDiagnoser),
    opplysningEls(ns, 'Helseopplysning', m.opplysninger, 9142),
    oppholdEl(ns, m.opphold),
    tjenestebehovEls(ns, m.tjenestebehov),
    m.egensoknadSendt === undefined ? undefined : el(c, 'OpplysningerTilSoknad', {}, [textEl(c, 'EgensoknadSendt', String(m.egensoknadSendt)), textEl(c, 'Merknad', m.merknadTilSoknad)]),
    closingEls(ns, m),
  ]);
}

/**
 * Read `HelseopplysningerVedSoknad` content (v1.6 or v1.5).
 *
 * @throws PloError `ERR_PLO_UNSUPPORTED_VERSION`, `ERR_PLO_MISSING_ELEMENT` (no
 *   InformasjonOmForsendelsen or TypeInnholdIMelding), `ERR_PLO_INVALID_VALUE` (TypeInnhold
 *   outside 9140, unreadable values).
 */
export function parseHelseopplysningerContent(root: XmlElement, namespace: string = root.ns): Helseopplysninger {
  if (namespace !== HELSEOPPLYSNINGER_NS_V16 && namespace !== HELSEOPPLYSNINGER_NS_V15) {
    throw new PloError('ERR_PLO_UNSUPPORTED_VERSION', `HelseopplysningerVedSoknad namespace '${namespace}' is not supported`);
  }
  const ns = ploNamespaces(namespace);
  checkRootElement(root, ns, 'HelseopplysningerVedSoknad');
  const r = '/HelseopplysningerVedSoknad';
  const base = parseReportBase(root, ns);
  const type = parseTypeInnhold(root, ns);
  if (type === undefined) throw new PloError('ERR_PLO_MISSING_ELEMENT', `Required element ${r}/TypeInnholdIMelding is missing`, { path: `${r}/TypeInnholdIMelding` });
  if (type.code.v !== '1' && type.code.v !== '2') {
    throw new PloError('ERR_PLO_INVALID_VALUE', `'${type.code.v}' is not a Helseopplysninger type (9140)`, { path: `${r}/TypeInnholdIMelding/TypeInnhold/@V` });
  }
  const opplysninger = parseOpplysninger(root, ns, 'Helseopplysning', r);
  const opphold = parseOpphold(root, ns);
  const tjenestebehov = parseTjenestebehov(root, ns);
  const soknad = child(root, ns, 'OpplysningerTilSoknad');
  const out: { -readonly [K in keyof Helseopplysninger]: Helseopplysninger[K] } = {
    informasjonOmForsendelsen: base.informasjonOmForsendelsen,
    typeInnhold: type.code.v,
  };
  if (type.merknad !== undefined) out.merknadTilInnhold = type.merknad;
  if (base.medisinskeDiagnoser !== undefined) out.medisinskeDiagnoser = base.medisinskeDiagnoser;
  if (opplysninger.length > 0) out.opplysninger = opplysninger;
  if (opphold.length > 0) out.opphold = opphold;
  if (tjenestebehov.length > 0) out.tjenestebehov = tjenestebehov;
  if (soknad !== undefined) {
    const sent = parseBoolChild(soknad, ns, 'EgensoknadSendt', `${r}/OpplysningerTilSoknad`);
    if (sent !== undefined) out.egensoknadSendt = sent;
    const merknad = optionalChildRawText(soknad, soknad.ns, 'Merknad');
    if (merknad !== undefined) out.merknadTilSoknad = merknad;
  }
  if (base.tilknyttetEnhet !== undefined) out.tilknyttetEnhet = base.tilknyttetEnhet;
  if (base.kontaktpersoner !== undefined) out.kontaktpersoner = base.kontaktpersoner;
  return out;
}

/** `HELSEOPPL_SOKNAD` (Helseopplysninger), PLO 1.6 `HelseopplysningerVedSoknad`. */
export const helseopplysningerDefinition: MessageTypeDefinition<Helseopplysninger> = {
  type: 'HELSEOPPL_SOKNAD',
  displayName: 'Helseopplysninger',
  standard: 'PLO 1.6',
  namespaces: [HELSEOPPLYSNINGER_NS_V16, HELSEOPPLYSNINGER_NS_V15],
  rootElement: 'HelseopplysningerVedSoknad',
  buildContent: (model, ctx) => buildHelseopplysningerContent(model, ctx.namespace),
  parseContent: (root, ctx) => parseHelseopplysningerContent(root, ctx.namespace),
};
