/**
 * Read AppRec 1.0 / 1.1 documents with the hardened reader of `@samhandling/plo` (size, depth and
 * DTD limits apply). The namespace decides the version; a MIGversion that does not match it is
 * accepted and kept as written.
 */
import { readXml } from '@samhandling/plo';
import type { XmlElement, XmlLimits } from '@samhandling/plo';
import { ApprecError } from './errors';
import type {
  AppRec,
  AppRecAdditionalId,
  AppRecAddress,
  AppRecDept,
  AppRecErrorEntry,
  AppRecHcPerson,
  AppRecHcProf,
  AppRecHcp,
  AppRecInstitution,
  AppRecParty,
  AppRecStatusCode,
} from './model';
import { appRecVersionOf } from './model';
import { child, children, invalidValue, isDateTime, optionalCs, optionalText, readCs, readCv, requireChild, requiredText } from './xml';

/** Options of {@link parseAppRec}. */
export interface ParseAppRecOptions {
  /** Limits for the hardened reader (defaults of plo's `DEFAULT_XML_LIMITS`). */
  readonly limits?: Partial<XmlLimits>;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function additionalIds(parent: XmlElement, ns: string, path: string): AppRecAdditionalId[] {
  return children(parent, ns, 'AdditionalId').map((a, i) => {
    const p = `${path}/AdditionalId[${i + 1}]`;
    return { id: requiredText(a, ns, 'Id', p), type: readCs(requireChild(a, ns, 'Type', p), `${p}/Type`) };
  });
}

function identified<T extends { name?: string; id?: string; typeId?: AppRecDept['typeId']; additionalIds?: readonly AppRecAdditionalId[] }>(
  e: XmlElement,
  ns: string,
  path: string,
  out: Mutable<T>,
): Mutable<T> {
  const name = optionalText(e, ns, 'Name');
  if (name !== undefined) out.name = name;
  const id = optionalText(e, ns, 'Id');
  if (id !== undefined) out.id = id;
  const typeId = optionalCs(e, ns, 'TypeId', path);
  if (typeId !== undefined) out.typeId = typeId;
  const extra = additionalIds(e, ns, path);
  if (extra.length > 0) out.additionalIds = extra;
  return out;
}

function parseDept(e: XmlElement, ns: string, path: string): AppRecDept {
  const out: Mutable<AppRecDept> = {};
  const type = optionalCs(e, ns, 'Type', path);
  if (type !== undefined) out.type = type;
  return identified(e, ns, path, out);
}

function parseInst(e: XmlElement, ns: string, path: string): AppRecInstitution {
  const out = identified<AppRecInstitution>(e, ns, path, {});
  const depts = children(e, ns, 'Dept').map((d, i) => parseDept(d, ns, `${path}/Dept[${i + 1}]`));
  if (depts.length > 0) out.depts = depts;
  const persons = children(e, ns, 'HCPerson').map((h, i) => identified<AppRecHcPerson>(h, ns, `${path}/HCPerson[${i + 1}]`, {}));
  if (persons.length > 0) out.hcPersons = persons;
  return out;
}

function parseHcProf(e: XmlElement, ns: string, path: string): AppRecHcProf {
  const out: Mutable<AppRecHcProf> = {};
  const type = optionalCs(e, ns, 'Type', path);
  if (type !== undefined) out.type = type;
  return identified(e, ns, path, out);
}

function parseAddress(e: XmlElement, ns: string, path: string): AppRecAddress {
  const out: Mutable<AppRecAddress> = { type: readCs(requireChild(e, ns, 'Type', path), `${path}/Type`) };
  for (const [key, name] of [
    ['streetAdr', 'StreetAdr'],
    ['postalCode', 'PostalCode'],
    ['city', 'City'],
  ] as const) {
    const t = optionalText(e, ns, name);
    if (t !== undefined) out[key] = t;
  }
  for (const [key, name] of [
    ['county', 'County'],
    ['country', 'Country'],
    ['cityDistr', 'CityDistr'],
  ] as const) {
    const c = optionalCs(e, ns, name, path);
    if (c !== undefined) out[key] = c;
  }
  const tele = children(e, ns, 'TeleAddress')
    .map((t) => t.attrs['V']?.trim() ?? '')
    .filter((t) => t !== '');
  if (tele.length > 0) out.teleAddresses = tele;
  return out;
}

function parseParty(root: XmlElement, ns: string, name: string): AppRecParty {
  const path = `/AppRec/${name}`;
  const e = requireChild(root, ns, name, '/AppRec');
  const hcpEl = requireChild(e, ns, 'HCP', path);
  const hp = `${path}/HCP`;
  const hcp: Mutable<AppRecHcp> = {};
  const inst = child(hcpEl, ns, 'Inst');
  const prof = child(hcpEl, ns, 'HCProf');
  if (inst !== undefined) hcp.inst = parseInst(inst, ns, `${hp}/Inst`);
  else if (prof !== undefined) hcp.hcProf = parseHcProf(prof, ns, `${hp}/HCProf`);
  else throw new ApprecError('ERR_APPREC_MISSING_ELEMENT', `Required element ${hp}/Inst (or HCProf) is missing`, { path: `${hp}/Inst` });
  const spec = child(hcpEl, ns, 'MedSpeciality');
  if (spec !== undefined) hcp.medSpeciality = readCv(spec, `${hp}/MedSpeciality`);
  const address = child(hcpEl, ns, 'Address');
  if (address !== undefined) hcp.address = parseAddress(address, ns, `${hp}/Address`);
  const role = optionalCs(e, ns, 'Role', path);
  return role === undefined ? { hcp } : { role, hcp };
}

function dateTime(parent: XmlElement, ns: string, name: string, path: string): string {
  const value = requiredText(parent, ns, name, path);
  if (!isDateTime(value)) throw invalidValue(`${path}/${name}`, `'${value}' is not an xs:dateTime`, child(parent, ns, name)?.line);
  return value;
}

/**
 * Read an `AppRec` element (either version) into the model.
 *
 * @throws ApprecError `ERR_APPREC_NOT_APPREC` for another root element or namespace,
 *   `ERR_APPREC_MISSING_ELEMENT` / `ERR_APPREC_INVALID_VALUE` with the path of the first problem.
 */
export function parseAppRecTree(root: XmlElement): AppRec {
  const version = appRecVersionOf(root.ns);
  if (root.name !== 'AppRec' || version === undefined) {
    throw new ApprecError('ERR_APPREC_NOT_APPREC', `Root element {${root.ns}}${root.name} is not an AppRec 1.0 or 1.1`, { path: `/${root.name}` });
  }
  const ns = root.ns;
  const msgType = readCs(requireChild(root, ns, 'MsgType', '/AppRec'), '/AppRec/MsgType');
  if (msgType.v !== 'APPREC') throw invalidValue('/AppRec/MsgType/@V', `'${msgType.v}' is not APPREC`, child(root, ns, 'MsgType')?.line);
  const statusEl = requireChild(root, ns, 'Status', '/AppRec');
  const statusCode = readCs(statusEl, '/AppRec/Status');
  if (statusCode.v !== '1' && statusCode.v !== '2' && statusCode.v !== '3') {
    throw invalidValue('/AppRec/Status/@V', `'${statusCode.v}' is not an AppRec status (8258)`, statusEl.line);
  }
  const status = statusCode as AppRecStatusCode;
  const errors: AppRecErrorEntry[] = children(root, ns, 'Error').map((e, i) => readCv(e, `/AppRec/Error[${i + 1}]`));
  const o = requireChild(root, ns, 'OriginalMsgId', '/AppRec');
  const op = '/AppRec/OriginalMsgId';
  const out: Mutable<AppRec> = {
    version,
    msgType,
    migVersion: requiredText(root, ns, 'MIGversion', '/AppRec'),
    genDate: dateTime(root, ns, 'GenDate', '/AppRec'),
    id: requiredText(root, ns, 'Id', '/AppRec'),
    sender: parseParty(root, ns, 'Sender'),
    receiver: parseParty(root, ns, 'Receiver'),
    status,
    errors,
    originalMsgId: {
      msgType: readCs(requireChild(o, ns, 'MsgType', op), `${op}/MsgType`),
      issueDate: dateTime(o, ns, 'IssueDate', op),
      id: requiredText(o, ns, 'Id', op),
    },
  };
  const softwareName = optionalText(root, ns, 'SoftwareName');
  if (softwareName !== undefined) out.softwareName = softwareName;
  const softwareVersion = optionalText(root, ns, 'SoftwareVersion');
  if (softwareVersion !== undefined) out.softwareVersion = softwareVersion;
  return out;
}

/**
 * Parse an AppRec 1.0 or 1.1 document (bytes or text). XML-level failures (not well-formed, DTD,
 * too large or deep, bad encoding) throw plo's `PloError` with its `ERR_PLO_XML_*` code.
 *
 * @throws ApprecError `ERR_APPREC_NOT_APPREC`, `ERR_APPREC_MISSING_ELEMENT`, `ERR_APPREC_INVALID_VALUE`.
 */
export function parseAppRec(input: string | Uint8Array, options: ParseAppRecOptions = {}): AppRec {
  const doc = readXml(input, options.limits);
  return Object.freeze(parseAppRecTree(doc.root));
}
