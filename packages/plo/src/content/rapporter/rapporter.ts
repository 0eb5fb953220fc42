/**
 * The nursing reports of PLO v1.6:
 *
 * - Innleggelsesrapport (`INNLEGGELSESRAPPORT`), municipality → hospital: nursing status at
 *   admission. Root `Innleggelsesrapport` in
 *   `http://www.kith.no/xmlstds/po/Innleggelsesrapport/2012-04-01` (v1.5 `.../2009-06-30` read).
 * - Utskrivningsrapport (`UTSKRIVNINGSRAPPORT`), hospital → municipality (sykepleietjeneste), sent
 *   the day of discharge. Carried by the TverrfagligEpikrise schema: root `TverrfagligEpikrise` in
 *   `http://www.kith.no/xmlstds/po/TverrfagligEpikrise/2012-04-01` (v1.5 `.../2009-06-30` read),
 *   with `TypeInnholdIMelding/TypeInnhold` 9139 = 11 (Utskrivningsrapport). Learned from
 *   Helsedirektoratet's public PLO display stylesheets (v1.5 shows `TverrfagligEpikrise` as
 *   "Utskrivningsrapport"; v1.6 titles `UTSKRIVNINGSRAPPORT` from the 9139 code); the official
 *   XSD was not available **(schema details unverified)**.
 */
import type { XmlElement } from '../../xml/tree';
import { volvenOid } from '../../xml/helpers';
import { codeDisplayName } from '../../codelists/codelists';
import type { MessageTypeDefinition } from '../../registry/types';
import { PloError } from '../../errors';
import { Issues } from '../common/issues';
import type { TidsfestetHendelse, UtskrevetTil } from '../common/types';
import { buildUtskrevetTil, parseUtskrevetTil } from '../common/xml';
import type { EksisterendeTjeneste, Opplysning, PloReportBase, Tjenestebehov } from './components';
import {
  checkCodeOnly,
  checkEksisterendeTjenester,
  checkOpphold,
  checkOpplysninger,
  checkReportBase,
  checkRootElement,
  checkTjenestebehov,
  child,
  closingEls,
  diagnoserEl,
  eksisterendeTjenesteEls,
  forsendelseEl,
  oppholdEl,
  opplysningEls,
  parseEksisterendeTjenester,
  parseOpphold,
  parseOpplysninger,
  parseReportBase,
  parseTjenestebehov,
  parseTypeInnhold,
  ploNamespaces,
  rootEl,
  tjenestebehovEls,
  typeInnholdEl,
} from './components';
import { el } from '../../xml/helpers';
import { findChild } from '../../xml/helpers';

/** PLO v1.6 namespace of Innleggelsesrapport (built and read). */
export const INNLEGGELSESRAPPORT_NS_V16 = 'http://www.kith.no/xmlstds/po/Innleggelsesrapport/2012-04-01';
/** PLO v1.5 namespace of Innleggelsesrapport (read only). */
export const INNLEGGELSESRAPPORT_NS_V15 = 'http://www.kith.no/xmlstds/po/Innleggelsesrapport/2009-06-30';
/** PLO v1.6 namespace of TverrfagligEpikrise, which carries Utskrivningsrapport (built and read). */
export const TVERRFAGLIG_EPIKRISE_NS_V16 = 'http://www.kith.no/xmlstds/po/TverrfagligEpikrise/2012-04-01';
/** PLO v1.5 namespace of TverrfagligEpikrise (read only). */
export const TVERRFAGLIG_EPIKRISE_NS_V15 = 'http://www.kith.no/xmlstds/po/TverrfagligEpikrise/2009-06-30';

/**
 * Model of `Innleggelsesrapport` (PLO v1.6, message type `INNLEGGELSESRAPPORT`): the
 * municipality's nursing status when the patient is admitted. May be sent without a preceding
 * LOG_INNLAGT.
 *
 * Element order: `po:InformasjonOmForsendelsen`, `InfoMedisinskDiagnose`, `EksisterendeTjeneste*`,
 * `Sykepleierdokumentasjon { Sykepleieopplysning+ }`, `po:TilknyttetEnhet*`,
 * `po:KontaktpersonHelsepersonell*`.
 */
export interface Innleggelsesrapport extends PloReportBase {
  /** `EksisterendeTjeneste`: municipal services the patient receives today. */
  readonly eksisterendeTjenester?: readonly EksisterendeTjeneste[];
  /**
   * `Sykepleierdokumentasjon/Sykepleieopplysning { TypeOpplysning (9141), Tekst }`, at least one:
   * e.g. 1 innkomststatus, 7 sykepleiediagnose, 8 sykepleiesammenfatning, 14 praktiske opplysninger.
   */
  readonly sykepleieopplysninger: readonly Opplysning[];
}

/**
 * Model of Utskrivningsrapport (PLO v1.6 `TverrfagligEpikrise` with 9139 = 11, message type
 * `UTSKRIVNINGSRAPPORT`): the hospital's nursing discharge report.
 *
 * Element order: `po:InformasjonOmForsendelsen`, `TypeInnholdIMelding` (9139 = 11, written by the
 * builder), `InfoMedisinskDiagnose`, `Sykepleierdokumentasjon { Sykepleieopplysning+ }`,
 * `TjenesteBehov*`, `OpplysningOpphold`, `po:UtskrevetTil`, `po:TilknyttetEnhet*`,
 * `po:KontaktpersonHelsepersonell*`.
 */
export interface Utskrivningsrapport extends PloReportBase {
  /**
   * `Sykepleierdokumentasjon/Sykepleieopplysning` (9141), at least one: e.g. 12 status ved
   * utskrivning, 8 sykepleiesammenfatning, 7 sykepleiediagnose.
   */
  readonly sykepleieopplysninger: readonly Opplysning[];
  /** `TjenesteBehov`: services the patient needs from the municipality. */
  readonly tjenestebehov?: readonly Tjenestebehov[];
  /** `OpplysningOpphold/po:TidsfestetHendelse`: admission (9121 = 1) and discharge (9121 = 2). */
  readonly opphold?: readonly TidsfestetHendelse[];
  /** `po:UtskrevetTil`: where the patient was discharged to (8408). */
  readonly utskrevetTil?: UtskrevetTil;
}

function nursingEl(ns: ReturnType<typeof ploNamespaces>, list: readonly Opplysning[]): XmlElement {
  return el(ns.content, 'Sykepleierdokumentasjon', {}, opplysningEls(ns, 'Sykepleieopplysning', list, 9141));
}

function checkNursing(issues: Issues, list: readonly Opplysning[] | undefined): void {
  if (list === undefined || list.length === 0) issues.add('sykepleieopplysninger', 'at least one nursing information item (9141) is required');
  else checkOpplysninger(issues, 'sykepleieopplysninger', list, 9141);
}

function parseNursing(root: XmlElement, ns: ReturnType<typeof ploNamespaces>): Opplysning[] {
  const r = `/${root.name}`;
  const d = child(root, ns, 'Sykepleierdokumentasjon');
  if (d === undefined) throw new PloError('ERR_PLO_MISSING_ELEMENT', `Required element ${r}/Sykepleierdokumentasjon is missing`, { path: `${r}/Sykepleierdokumentasjon` });
  return parseOpplysninger(d, ns, 'Sykepleieopplysning', `${r}/Sykepleierdokumentasjon`);
}

function namespaceOf(namespace: string, v16: string, v15: string, what: string): ReturnType<typeof ploNamespaces> {
  if (namespace !== v16 && namespace !== v15) throw new PloError('ERR_PLO_UNSUPPORTED_VERSION', `${what} namespace '${namespace}' is not supported`);
  return ploNamespaces(namespace);
}

function buildNamespace(namespace: string, v16: string, v15: string, what: string): ReturnType<typeof ploNamespaces> {
  if (namespace !== v16 && namespace !== v15) throw new RangeError(`Not a ${what} namespace: '${namespace}'`);
  return ploNamespaces(namespace);
}

/**
 * Build `Innleggelsesrapport` content.
 *
 * @throws PloError `ERR_PLO_INVALID_MODEL` listing every problem.
 */
export function buildInnleggelsesrapportContent(m: Innleggelsesrapport, namespace: string = INNLEGGELSESRAPPORT_NS_V16): XmlElement {
  const ns = buildNamespace(namespace, INNLEGGELSESRAPPORT_NS_V16, INNLEGGELSESRAPPORT_NS_V15, 'Innleggelsesrapport');
  const issues = new Issues();
  checkReportBase(issues, m);
  checkEksisterendeTjenester(issues, m.eksisterendeTjenester);
  checkNursing(issues, m.sykepleieopplysninger);
  issues.throwIfAny('INNLEGGELSESRAPPORT');
  return rootEl(ns, 'Innleggelsesrapport', [
    forsendelseEl(ns, m),
    diagnoserEl(ns, m.medisinskeDiagnoser),
    eksisterendeTjenesteEls(ns, m.eksisterendeTjenester),
    nursingEl(ns, m.sykepleieopplysninger),
    closingEls(ns, m),
  ]);
}

/**
 * Read `Innleggelsesrapport` content (v1.6 or v1.5).
 *
 * @throws PloError `ERR_PLO_UNSUPPORTED_VERSION`, `ERR_PLO_MISSING_ELEMENT`, `ERR_PLO_INVALID_VALUE`.
 */
export function parseInnleggelsesrapportContent(root: XmlElement, namespace: string = root.ns): Innleggelsesrapport {
  const ns = namespaceOf(namespace, INNLEGGELSESRAPPORT_NS_V16, INNLEGGELSESRAPPORT_NS_V15, 'Innleggelsesrapport');
  checkRootElement(root, ns, 'Innleggelsesrapport');
  const base = parseReportBase(root, ns);
  const tjenester = parseEksisterendeTjenester(root, ns);
  const { tilknyttetEnhet, kontaktpersoner, ...head } = base;
  return {
    ...head,
    ...(tjenester.length === 0 ? {} : { eksisterendeTjenester: tjenester }),
    sykepleieopplysninger: parseNursing(root, ns),
    ...(tilknyttetEnhet === undefined ? {} : { tilknyttetEnhet }),
    ...(kontaktpersoner === undefined ? {} : { kontaktpersoner }),
  };
}

/**
 * Build Utskrivningsrapport content (`TverrfagligEpikrise` with 9139 = 11).
 *
 * @throws PloError `ERR_PLO_INVALID_MODEL` listing every problem.
 */
export function buildUtskrivningsrapportContent(m: Utskrivningsrapport, namespace: string = TVERRFAGLIG_EPIKRISE_NS_V16): XmlElement {
  const ns = buildNamespace(namespace, TVERRFAGLIG_EPIKRISE_NS_V16, TVERRFAGLIG_EPIKRISE_NS_V15, 'TverrfagligEpikrise');
  const issues = new Issues();
  checkReportBase(issues, m);
  checkNursing(issues, m.sykepleieopplysninger);
  checkTjenestebehov(issues, m.tjenestebehov);
  checkOpphold(issues, m.opphold);
  if (m.utskrevetTil !== undefined) checkCodeOnly(issues, 'utskrevetTil.utTil', m.utskrevetTil.utTil);
  issues.throwIfAny('UTSKRIVNINGSRAPPORT');
  const dn = codeDisplayName(9139, '11');
  return rootEl(ns, 'TverrfagligEpikrise', [
    forsendelseEl(ns, m),
    typeInnholdEl(ns, { v: '11', s: volvenOid(9139), ...(dn === undefined ? {} : { dn }) }),
    diagnoserEl(ns, m.medisinskeDiagnoser),
    nursingEl(ns, m.sykepleieopplysninger),
    tjenestebehovEls(ns, m.tjenestebehov),
    oppholdEl(ns, m.opphold),
    m.utskrevetTil === undefined ? undefined : buildUtskrevetTil(ns.po, m.utskrevetTil),
    closingEls(ns, m),
  ]);
}

/**
 * Read Utskrivningsrapport content (`TverrfagligEpikrise`, v1.6 or v1.5). A `TypeInnhold` other
 * than 9139 = 11 is refused: that TverrfagligEpikrise is not an Utskrivningsrapport.
 *
 * @throws PloError `ERR_PLO_UNSUPPORTED_VERSION`, `ERR_PLO_MISSING_ELEMENT`, `ERR_PLO_INVALID_VALUE`.
 */
export function parseUtskrivningsrapportContent(root: XmlElement, namespace: string = root.ns): Utskrivningsrapport {
  const ns = namespaceOf(namespace, TVERRFAGLIG_EPIKRISE_NS_V16, TVERRFAGLIG_EPIKRISE_NS_V15, 'TverrfagligEpikrise');
  checkRootElement(root, ns, 'TverrfagligEpikrise');
  const type = parseTypeInnhold(root, ns);
  if (type !== undefined && type.code.v !== '11') {
    throw new PloError('ERR_PLO_INVALID_VALUE', `TverrfagligEpikrise with TypeInnhold '${type.code.v}' is not an Utskrivningsrapport (9139 = 11)`, {
      path: '/TverrfagligEpikrise/TypeInnholdIMelding/TypeInnhold/@V',
    });
  }
  const base = parseReportBase(root, ns);
  const tjenestebehov = parseTjenestebehov(root, ns);
  const opphold = parseOpphold(root, ns);
  const ut = findChild(root, ns.po, 'UtskrevetTil');
  const { tilknyttetEnhet, kontaktpersoner, ...head } = base;
  return {
    ...head,
    sykepleieopplysninger: parseNursing(root, ns),
    ...(tjenestebehov.length === 0 ? {} : { tjenestebehov }),
    ...(opphold.length === 0 ? {} : { opphold }),
    ...(ut === undefined ? {} : { utskrevetTil: parseUtskrevetTil(ut, ns.po, '/TverrfagligEpikrise/UtskrevetTil') }),
    ...(tilknyttetEnhet === undefined ? {} : { tilknyttetEnhet }),
    ...(kontaktpersoner === undefined ? {} : { kontaktpersoner }),
  };
}

/** `INNLEGGELSESRAPPORT` (Innleggelsesrapport), PLO 1.6 `Innleggelsesrapport`. */
export const innleggelsesrapportDefinition: MessageTypeDefinition<Innleggelsesrapport> = {
  type: 'INNLEGGELSESRAPPORT',
  displayName: 'Innleggelsesrapport',
  standard: 'PLO 1.6',
  namespaces: [INNLEGGELSESRAPPORT_NS_V16, INNLEGGELSESRAPPORT_NS_V15],
  rootElement: 'Innleggelsesrapport',
  buildContent: (model, ctx) => buildInnleggelsesrapportContent(model, ctx.namespace),
  parseContent: (root, ctx) => parseInnleggelsesrapportContent(root, ctx.namespace),
};

/** `UTSKRIVNINGSRAPPORT` (Utskrivningsrapport), PLO 1.6 `TverrfagligEpikrise` (9139 = 11). */
export const utskrivningsrapportDefinition: MessageTypeDefinition<Utskrivningsrapport> = {
  type: 'UTSKRIVNINGSRAPPORT',
  displayName: 'Utskrivningsrapport',
  standard: 'PLO 1.6',
  namespaces: [TVERRFAGLIG_EPIKRISE_NS_V16, TVERRFAGLIG_EPIKRISE_NS_V15],
  rootElement: 'TverrfagligEpikrise',
  buildContent: (model, ctx) => buildUtskrivningsrapportContent(model, ctx.namespace),
  parseContent: (root, ctx) => parseUtskrivningsrapportContent(root, ctx.namespace),
};
