/**
 * Build AppRec 1.0 / 1.1 documents from a plain model, checking the rules a receiver relies on.
 */
import { codeDisplayName, isKnownCode, isValidHerId, serializeXml } from '@samhandling/plo';
import type { CodedValue, SimpleCode, XmlElement } from '@samhandling/plo';
import { IssueList } from './errors';
import type {
  AppRecAdditionalId,
  AppRecAddress,
  AppRecDept,
  AppRecHcPerson,
  AppRecHcProf,
  AppRecHcp,
  AppRecInput,
  AppRecInstitution,
  AppRecParty,
  AppRecVersion,
} from './model';
import { APPREC_VERSIONS, DEFAULT_APPREC_VERSION } from './model';
import { partyHerId } from './parties';
import { csEl, cvEl, el, isDateTime, textEl } from './xml';

/** OID of Volven 8221 (AppRec error codes), written in `Error/@S`. */
export const APPREC_ERROR_CODE_SYSTEM_OID = '2.16.578.1.12.4.1.1.8221';

/** Options of {@link buildAppRec}. */
export interface BuildAppRecOptions {
  /** AppRec version; default `1.1` ({@link DEFAULT_APPREC_VERSION}). Set per counterparty. */
  readonly version?: AppRecVersion;
  /** Indent the output. Default false. */
  readonly pretty?: boolean;
}

function checkVersion(version: unknown): AppRecVersion {
  if (version !== '1.0' && version !== '1.1') throw new RangeError(`AppRec version must be '1.0' or '1.1', not ${String(version)}`);
  return version;
}

function blank(s: unknown): boolean {
  return typeof s !== 'string' || s.trim() === '';
}

function checkOptionalText(issues: IssueList, path: string, value: unknown): void {
  if (value !== undefined && blank(value)) issues.add(path, 'must be a non-empty string when given');
}

function checkCs(issues: IssueList, path: string, code: SimpleCode | undefined, required: boolean): void {
  if (code === undefined) {
    if (required) issues.add(path, 'is required');
    return;
  }
  if (blank(code.v) || /\s/.test(code.v)) issues.add(`${path}.v`, 'must be a non-empty token');
  checkOptionalText(issues, `${path}.dn`, code.dn);
}

function checkIdentified(issues: IssueList, path: string, unit: { id?: string; typeId?: SimpleCode; additionalIds?: readonly AppRecAdditionalId[] }): void {
  checkOptionalText(issues, `${path}.id`, unit.id);
  checkCs(issues, `${path}.typeId`, unit.typeId, false);
  if (unit.id !== undefined && unit.typeId === undefined) issues.add(`${path}.typeId`, 'is required when id is given');
  if (unit.typeId?.v === 'HER' && unit.id !== undefined && !isValidHerId(unit.id)) issues.add(`${path}.id`, `'${unit.id}' is not a valid HER-id`);
  (unit.additionalIds ?? []).forEach((a, i) => {
    const p = `${path}.additionalIds[${i}]`;
    if (blank(a.id)) issues.add(`${p}.id`, 'is required');
    checkCs(issues, `${p}.type`, a.type, true);
    if (a.type?.v === 'HER' && !blank(a.id) && !isValidHerId(a.id)) issues.add(`${p}.id`, `'${a.id}' is not a valid HER-id`);
  });
}

function checkParty(issues: IssueList, path: string, party: AppRecParty | undefined): void {
  if (party === undefined || party === null || typeof party !== 'object' || party.hcp === undefined) {
    issues.add(`${path}.hcp`, 'is required');
    return;
  }
  checkCs(issues, `${path}.role`, party.role, false);
  const { hcp } = party;
  const p = `${path}.hcp`;
  if ((hcp.inst === undefined) === (hcp.hcProf === undefined)) issues.add(p, 'needs exactly one of inst and hcProf');
  if (hcp.inst !== undefined) {
    checkOptionalText(issues, `${p}.inst.name`, hcp.inst.name);
    checkIdentified(issues, `${p}.inst`, hcp.inst);
    (hcp.inst.depts ?? []).forEach((d, i) => {
      checkCs(issues, `${p}.inst.depts[${i}].type`, d.type, false);
      checkOptionalText(issues, `${p}.inst.depts[${i}].name`, d.name);
      checkIdentified(issues, `${p}.inst.depts[${i}]`, d);
    });
    (hcp.inst.hcPersons ?? []).forEach((h, i) => {
      checkOptionalText(issues, `${p}.inst.hcPersons[${i}].name`, h.name);
      checkIdentified(issues, `${p}.inst.hcPersons[${i}]`, h);
    });
  }
  if (hcp.hcProf !== undefined) {
    checkCs(issues, `${p}.hcProf.type`, hcp.hcProf.type, false);
    checkOptionalText(issues, `${p}.hcProf.name`, hcp.hcProf.name);
    checkIdentified(issues, `${p}.hcProf`, hcp.hcProf);
  }
  if (hcp.address !== undefined) checkCs(issues, `${p}.address.type`, hcp.address.type, true);
  if (partyHerId(party) === undefined) issues.add(p, 'has no HER-id (in Id/TypeId or AdditionalId): the party cannot be addressed');
}

/** Checks an AppRec model; every problem goes to `issues` with its model path. */
export function checkAppRecInput(issues: IssueList, input: AppRecInput): void {
  checkOptionalText(issues, 'migVersion', input.migVersion);
  checkOptionalText(issues, 'softwareName', input.softwareName);
  checkOptionalText(issues, 'softwareVersion', input.softwareVersion);
  if (typeof input.genDate !== 'string' || !isDateTime(input.genDate)) issues.add('genDate', `'${String(input.genDate)}' is not an xs:dateTime`);
  if (blank(input.id)) issues.add('id', 'is required');
  checkParty(issues, 'sender', input.sender);
  checkParty(issues, 'receiver', input.receiver);
  const status = input.status?.v;
  if (status === undefined || !isKnownCode(8258, status)) issues.add('status.v', `'${String(status)}' is not an AppRec status (8258: 1, 2, 3)`);
  const errors = Array.isArray(input.errors) ? input.errors : [];
  if (!Array.isArray(input.errors)) issues.add('errors', 'must be an array');
  errors.forEach((e, i) => {
    if (typeof e?.v !== 'string' || !isKnownCode(8221, e.v)) issues.add(`errors[${i}].v`, `'${String(e?.v)}' is not an AppRec error code (8221)`);
    checkOptionalText(issues, `errors[${i}].dn`, e?.dn);
    checkOptionalText(issues, `errors[${i}].ot`, e?.ot);
    if (e?.s !== undefined && e.s !== APPREC_ERROR_CODE_SYSTEM_OID) issues.add(`errors[${i}].s`, `must be ${APPREC_ERROR_CODE_SYSTEM_OID} (8221)`);
  });
  if (status === '1' && errors.length > 0) issues.add('errors', 'status 1 (OK) carries no errors: use status 3 (OK, feil i delmelding)');
  if ((status === '2' || status === '3') && errors.length === 0) issues.add('errors', `status ${status} needs at least one error (8221)`);
  const o = input.originalMsgId;
  if (o === undefined || o === null) issues.add('originalMsgId', 'is required');
  else {
    checkCs(issues, 'originalMsgId.msgType', o.msgType, true);
    if (o.msgType?.v === 'APPREC') issues.add('originalMsgId.msgType.v', 'an AppRec is never answered with an AppRec');
    if (typeof o.issueDate !== 'string' || !isDateTime(o.issueDate)) issues.add('originalMsgId.issueDate', `'${String(o.issueDate)}' is not an xs:dateTime`);
    if (blank(o.id)) issues.add('originalMsgId.id', 'is required');
  }
}

function additionalIdEls(ns: string, ids: readonly AppRecAdditionalId[] | undefined): XmlElement[] {
  return (ids ?? []).map((a) => el(ns, 'AdditionalId', {}, [textEl(ns, 'Id', a.id), csEl(ns, 'Type', a.type)]));
}

function deptEl(ns: string, d: AppRecDept): XmlElement {
  return el(ns, 'Dept', {}, [csEl(ns, 'Type', d.type), textEl(ns, 'Name', d.name), textEl(ns, 'Id', d.id), csEl(ns, 'TypeId', d.typeId), additionalIdEls(ns, d.additionalIds)]);
}

function hcPersonEl(ns: string, h: AppRecHcPerson): XmlElement {
  return el(ns, 'HCPerson', {}, [textEl(ns, 'Name', h.name), textEl(ns, 'Id', h.id), csEl(ns, 'TypeId', h.typeId), additionalIdEls(ns, h.additionalIds)]);
}

function instEl(ns: string, i: AppRecInstitution): XmlElement {
  return el(ns, 'Inst', {}, [
    textEl(ns, 'Name', i.name),
    textEl(ns, 'Id', i.id),
    csEl(ns, 'TypeId', i.typeId),
    (i.depts ?? []).map((d) => deptEl(ns, d)),
    additionalIdEls(ns, i.additionalIds),
    (i.hcPersons ?? []).map((h) => hcPersonEl(ns, h)),
  ]);
}

function hcProfEl(ns: string, h: AppRecHcProf): XmlElement {
  return el(ns, 'HCProf', {}, [csEl(ns, 'Type', h.type), textEl(ns, 'Name', h.name), textEl(ns, 'Id', h.id), csEl(ns, 'TypeId', h.typeId), additionalIdEls(ns, h.additionalIds)]);
}

function addressEl(ns: string, a: AppRecAddress | undefined): XmlElement | undefined {
  if (a === undefined) return undefined;
  return el(ns, 'Address', {}, [
    csEl(ns, 'Type', a.type),
    textEl(ns, 'StreetAdr', a.streetAdr),
    textEl(ns, 'PostalCode', a.postalCode),
    textEl(ns, 'City', a.city),
    csEl(ns, 'County', a.county),
    csEl(ns, 'Country', a.country),
    csEl(ns, 'CityDistr', a.cityDistr),
    (a.teleAddresses ?? []).map((t) => el(ns, 'TeleAddress', { V: t })),
  ]);
}

function hcpEl(ns: string, h: AppRecHcp): XmlElement {
  return el(ns, 'HCP', {}, [
    h.inst === undefined ? undefined : instEl(ns, h.inst),
    h.hcProf === undefined ? undefined : hcProfEl(ns, h.hcProf),
    cvEl(ns, 'MedSpeciality', h.medSpeciality),
    addressEl(ns, h.address),
  ]);
}

function partyEl(ns: string, name: string, p: AppRecParty): XmlElement {
  return el(ns, name, {}, [csEl(ns, 'Role', p.role), hcpEl(ns, p.hcp)]);
}

/**
 * AppRec model → `AppRec` element tree in the version's namespace, without checks (use
 * {@link buildAppRec} for checked output). Error display names default to the 8221 name.
 */
export function buildAppRecTree(input: AppRecInput, version: AppRecVersion = DEFAULT_APPREC_VERSION): XmlElement {
  const { namespace: ns, migVersion } = APPREC_VERSIONS[checkVersion(version)];
  const errors = input.errors.map((e): CodedValue => {
    const dn = e.dn ?? codeDisplayName(8221, e.v);
    return { v: e.v, s: e.s ?? APPREC_ERROR_CODE_SYSTEM_OID, ...(dn === undefined ? {} : { dn }), ...(e.ot === undefined ? {} : { ot: e.ot }) };
  });
  const statusDn = input.status.dn ?? codeDisplayName(8258, input.status.v);
  const root = el(ns, 'AppRec', {}, [
    el(ns, 'MsgType', { V: 'APPREC', DN: 'Applikasjonskvittering' }),
    textEl(ns, 'MIGversion', input.migVersion ?? migVersion),
    textEl(ns, 'SoftwareName', input.softwareName),
    textEl(ns, 'SoftwareVersion', input.softwareVersion),
    textEl(ns, 'GenDate', input.genDate),
    textEl(ns, 'Id', input.id),
    partyEl(ns, 'Sender', input.sender),
    partyEl(ns, 'Receiver', input.receiver),
    el(ns, 'Status', { V: input.status.v, DN: statusDn }),
    errors.map((e) => cvEl(ns, 'Error', e)),
    el(ns, 'OriginalMsgId', {}, [
      csEl(ns, 'MsgType', input.originalMsgId.msgType),
      textEl(ns, 'IssueDate', input.originalMsgId.issueDate),
      textEl(ns, 'Id', input.originalMsgId.id),
    ]),
  ]);
  return { ...root, nsDecls: { '': ns } };
}

/**
 * Build an AppRec document (UTF-8 XML text), version 1.1 unless `options.version` says `1.0`.
 *
 * @throws ApprecError `ERR_APPREC_INVALID_MODEL` with `issues` listing every problem: status not in
 *   8258, status 2 or 3 without errors, status 1 with errors, an error code not in 8221, a party
 *   without HER-id, an `OriginalMsgId` of type APPREC, dates that are not xs:dateTime, ...
 * @throws RangeError for a version other than `1.0` and `1.1`.
 */
export function buildAppRec(input: AppRecInput, options: BuildAppRecOptions = {}): string {
  if (typeof input !== 'object' || input === null) throw new TypeError('buildAppRec needs an AppRec model');
  const version = checkVersion(options.version ?? DEFAULT_APPREC_VERSION);
  const issues = new IssueList();
  checkAppRecInput(issues, input);
  issues.throwIfAny('ERR_APPREC_INVALID_MODEL', 'AppRec');
  return serializeXml(buildAppRecTree(input, version), { pretty: options.pretty === true });
}
