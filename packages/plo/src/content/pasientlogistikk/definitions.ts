/**
 * Registry definitions for the Pasientlogistikk messages (PLO 1.6 build and parse, PLO 1.5 parse).
 */
import type { XmlElement } from '../../xml/tree';
import { childElements, el, invalidValue, requireChild, volvenOid } from '../../xml/helpers';
import type { MessageTypeDefinition } from '../../registry/types';
import { PloError } from '../../errors';
import { isKnownCode } from '../../codelists/codelists';
import { FELLESKOMPONENT1_NS } from '../../parties/xml';
import { checkCode } from '../../parties/check';
import { Issues } from '../common/issues';
import { PO_KOMPONENT_NS_V15, PO_KOMPONENT_NS_V16 } from '../common/types';
import {
  buildInformasjonOmForsendelsen,
  buildKontaktpersonHelsepersonell,
  buildTidsfestetHendelse,
  buildTilknyttetEnhet,
  buildUtskrevetTil,
  checkInformasjonOmForsendelsen,
  checkKontaktpersonHelsepersonell,
  checkTidsfestetHendelse,
  checkTilknyttetEnhet,
  parseInformasjonOmForsendelsen,
  parseKontaktpersonHelsepersonell,
  parseTidsfestetHendelse,
  parseTilknyttetEnhet,
  parseUtskrevetTil,
} from '../common/xml';
import type { Pasientlogistikk, PasientlogistikkHendelse, PasientlogistikkType } from './model';
import { PASIENTLOGISTIKK_EVENTS, PASIENTLOGISTIKK_NS_V15, PASIENTLOGISTIKK_NS_V16 } from './model';

const ROOT = 'Pasientlogistikk';

/** poKomponent namespace that goes with a Pasientlogistikk namespace. */
function poFor(ns: string): string {
  if (ns === PASIENTLOGISTIKK_NS_V16) return PO_KOMPONENT_NS_V16;
  if (ns === PASIENTLOGISTIKK_NS_V15) return PO_KOMPONENT_NS_V15;
  throw new PloError('ERR_PLO_UNSUPPORTED_VERSION', `Not a Pasientlogistikk namespace: ${ns}`);
}

function checkModel(type: PasientlogistikkType, m: Pasientlogistikk): void {
  const issues = new Issues();
  if (typeof m !== 'object' || m === null) {
    issues.add('', `${type} content must be an object`);
    issues.throwIfAny(`${type} content`);
    return;
  }
  checkInformasjonOmForsendelsen(issues, 'informasjonOmForsendelsen', m.informasjonOmForsendelsen);
  if (m.hendelse === undefined || m.hendelse === null) issues.add('hendelse', 'is required');
  else checkTidsfestetHendelse(issues, 'hendelse', m.hendelse, true);
  if (type === 'LOG_UTSKREVET') {
    if (m.utskrevetTil === undefined) issues.add('utskrevetTil', 'is required for LOG_UTSKREVET (where the patient was discharged to)');
    else {
      const u = m.utskrevetTil;
      checkCode(issues, 'utskrevetTil.utTil', u.utTil, true);
      const system = u.utTil?.s === volvenOid(7300) ? 7300 : 8408;
      if (u.utTil?.s !== undefined && u.utTil.s !== volvenOid(7300) && u.utTil.s !== volvenOid(8408)) {
        issues.add('utskrevetTil.utTil.s', `code system must be kodeverk 8408 or 7300, got '${u.utTil.s}'`);
      } else if (u.utTil !== undefined && !isKnownCode(system, u.utTil.v)) {
        issues.add('utskrevetTil.utTil.v', `'${u.utTil.v}' is not a code in kodeverk ${system}`);
      }
      checkCode(issues, 'utskrevetTil.uttilstand', u.uttilstand, false);
      if (u.merknad !== undefined && u.merknad.trim() === '') issues.add('utskrevetTil.merknad', 'must not be empty when given');
    }
  } else if (m.utskrevetTil !== undefined) {
    issues.add('utskrevetTil', `is only allowed in LOG_UTSKREVET, not ${type}`);
  }
  (m.tilknyttetEnhet ?? []).forEach((t, i) => checkTilknyttetEnhet(issues, `tilknyttetEnhet[${i}]`, t));
  (m.kontaktpersoner ?? []).forEach((k, i) => checkKontaktpersonHelsepersonell(issues, `kontaktpersoner[${i}]`, k));
  issues.throwIfAny(`${type} content`);
}

function build(type: PasientlogistikkType, m: Pasientlogistikk, ns: string): XmlElement {
  checkModel(type, m);
  const po = poFor(ns);
  const ev = PASIENTLOGISTIKK_EVENTS[type];
  return el(
    ns,
    ROOT,
    {},
    [
      el(ns, ev.element, {}, [
        m.utskrevetTil === undefined ? undefined : buildUtskrevetTil(po, m.utskrevetTil),
        buildTidsfestetHendelse(po, { hendelsekode: { v: ev.hendelsekode, s: volvenOid(9121), dn: ev.hendelse }, ...m.hendelse }),
      ]),
      (m.tilknyttetEnhet ?? []).map((t) => buildTilknyttetEnhet(po, t)),
      (m.kontaktpersoner ?? []).map((k) => buildKontaktpersonHelsepersonell(po, k)),
      buildInformasjonOmForsendelsen(po, m.informasjonOmForsendelsen),
    ],
    { '': ns, po, fk1: FELLESKOMPONENT1_NS },
  );
}

function parse(type: PasientlogistikkType, root: XmlElement, ns: string): Pasientlogistikk {
  const po = poFor(ns);
  const ev = PASIENTLOGISTIKK_EVENTS[type];
  const path = `/${ROOT}`;
  if (root.ns !== ns || root.name !== ROOT) throw invalidValue(path, `Content root is ${root.name}, expected ${ROOT}`, root.line);
  const evPath = `${path}/${ev.element}`;
  const event = requireChild(root, ns, ev.element, path);
  const hPath = `${evPath}/TidsfestetHendelse`;
  const h = parseTidsfestetHendelse(requireChild(event, po, 'TidsfestetHendelse', evPath), po, hPath);
  if (h.hendelsekode.v !== ev.hendelsekode || (h.hendelsekode.s !== undefined && h.hendelsekode.s !== volvenOid(9121))) {
    throw invalidValue(`${hPath}/Hendelsekode`, `event code ${h.hendelsekode.v} (${h.hendelsekode.s ?? 'no system'}) does not match ${type} (9121=${ev.hendelsekode})`);
  }
  if (h.tidspunkt === undefined) throw new PloError('ERR_PLO_MISSING_ELEMENT', `Required element ${hPath}/TidspunktForHendelse is missing`, { path: `${hPath}/TidspunktForHendelse` });
  const { hendelsekode: _code, tidspunkt, ...rest } = h;
  const hendelse: PasientlogistikkHendelse = { tidspunkt, ...rest };
  const informasjonOmForsendelsen = parseInformasjonOmForsendelsen(
    requireChild(root, po, 'InformasjonOmForsendelsen', path),
    po,
    `${path}/InformasjonOmForsendelsen`,
  );
  const out: { -readonly [K in keyof Pasientlogistikk]: Pasientlogistikk[K] } = { informasjonOmForsendelsen, hendelse };
  if (type === 'LOG_UTSKREVET') out.utskrevetTil = parseUtskrevetTil(requireChild(event, po, 'UtskrevetTil', evPath), po, `${evPath}/UtskrevetTil`);
  const enheter = childElements(root, po, 'TilknyttetEnhet').map((t, i) => parseTilknyttetEnhet(t, po, `${path}/TilknyttetEnhet[${i + 1}]`));
  if (enheter.length > 0) out.tilknyttetEnhet = enheter;
  const kontakter = childElements(root, po, 'KontaktpersonHelsepersonell').map((k, i) =>
    parseKontaktpersonHelsepersonell(k, po, `${path}/KontaktpersonHelsepersonell[${i + 1}]`),
  );
  if (kontakter.length > 0) out.kontaktpersoner = kontakter;
  return out;
}

function definition(type: PasientlogistikkType): MessageTypeDefinition<Pasientlogistikk> {
  return {
    type,
    displayName: PASIENTLOGISTIKK_EVENTS[type].displayName,
    standard: 'PLO 1.6',
    namespaces: [PASIENTLOGISTIKK_NS_V16, PASIENTLOGISTIKK_NS_V15],
    rootElement: ROOT,
    buildContent: (model, ctx) => build(type, model, ctx.namespace),
    parseContent: (root, ctx) => parse(type, root, ctx.namespace),
  };
}

/** LOG_INNLAGT: Melding om innlagt pasient (9121=1). */
export const logInnlagtDefinition = definition('LOG_INNLAGT');
/** LOG_UTSKREVET: Melding om utskrevet pasient (9121=2), with UtskrevetTil. */
export const logUtskrevetDefinition = definition('LOG_UTSKREVET');
/** LOG_UTSKRIVNINGSKLAR: Melding om utskrivningsklar pasient (9121=3). */
export const logUtskrivningsklarDefinition = definition('LOG_UTSKRIVNINGSKLAR');
/** LOG_AVMELDING: Avmelding av utskrivningsklar pasient (9121=4). */
export const logAvmeldingDefinition = definition('LOG_AVMELDING');
/** LOG_DOD: Orientering om dødsfall (9121=13). */
export const logDodDefinition = definition('LOG_DOD');

/** All five Pasientlogistikk definitions. */
export const pasientlogistikkDefinitions: readonly MessageTypeDefinition<Pasientlogistikk>[] = [
  logInnlagtDefinition,
  logUtskrevetDefinition,
  logUtskrivningsklarDefinition,
  logAvmeldingDefinition,
  logDodDefinition,
];
