/**
 * Parties in an AppRec: from a MsgHead `Organisation` chain to an AppRec `HCP` (`Inst` with an
 * optional `Dept`), and the HER-id that addresses an AppRec party.
 */
import type { Organisation, SimpleCode } from '@samhandling/plo';
import type { AppRecAdditionalId, AppRecDept, AppRecHcp, AppRecInstitution, AppRecParty } from './model';

/** `TypeId` for a HER-id (9051 `HER`). */
export const HER_ID_TYPE: SimpleCode = Object.freeze({ v: 'HER', dn: 'HER-id' });
/** `TypeId` for an organisation number (9051 `ENH`). */
export const ORG_NUMBER_TYPE: SimpleCode = Object.freeze({ v: 'ENH', dn: 'Organisasjonsnummeret i Enhetsregister' });

/**
 * How the institution (`Inst`) is identified: `herId` writes the HER-id in `Id`/`TypeId`;
 * `orgNumber` writes the organisation number in `Id`/`TypeId` (`ENH`) and the HER-id in an
 * `AdditionalId`, falling back to `herId` when the organisation has no organisation number.
 */
export type InstitutionIdentification = 'herId' | 'orgNumber';

interface Identified {
  readonly id?: string;
  readonly typeId?: SimpleCode;
  readonly additionalIds?: readonly AppRecAdditionalId[];
}

/** The HER-id of one unit: `Id` when `TypeId` is `HER`, else an `AdditionalId` of type `HER`. */
export function unitHerId(unit: Identified | undefined): string | undefined {
  if (unit === undefined) return undefined;
  if (unit.typeId?.v === 'HER' && unit.id !== undefined) return unit.id;
  return unit.additionalIds?.find((a) => a.type.v === 'HER')?.id;
}

/**
 * The HER-id that addresses an AppRec party: that of the first `Dept` with one, else the
 * institution's (in `Id` or `AdditionalId`), else the health professional's. `undefined` when
 * the party has no HER-id at all.
 */
export function partyHerId(party: AppRecParty | AppRecHcp): string | undefined {
  const hcp = 'hcp' in party ? party.hcp : party;
  if (hcp.inst !== undefined) {
    for (const d of hcp.inst.depts ?? []) {
      const her = unitHerId(d);
      if (her !== undefined) return her;
    }
    return unitHerId(hcp.inst);
  }
  return unitHerId(hcp.hcProf);
}

/** Every HER-id of an AppRec party, institution first. */
export function partyHerIds(party: AppRecParty | AppRecHcp): string[] {
  const hcp = 'hcp' in party ? party.hcp : party;
  const out: string[] = [];
  const add = (id: string | undefined): void => {
    if (id !== undefined && !out.includes(id)) out.push(id);
  };
  if (hcp.inst !== undefined) {
    add(unitHerId(hcp.inst));
    for (const d of hcp.inst.depts ?? []) add(unitHerId(d));
  }
  add(unitHerId(hcp.hcProf));
  return out;
}

/** HER-ids of a MsgHead organisation chain, from the top level down. */
export function organisationHerIds(org: Organisation): string[] {
  const out: string[] = [];
  let level: Organisation | undefined = org;
  while (level !== undefined) {
    const her = level.idents.find((i) => i.typeId.v === 'HER')?.id;
    if (her !== undefined) out.push(her);
    level = level.organisation;
  }
  return out;
}

function levelHerId(o: Organisation): string | undefined {
  return o.idents.find((i) => i.typeId.v === 'HER')?.id;
}

/**
 * A MsgHead organisation chain as an AppRec party: the top level becomes `Inst`; the deepest
 * lower level that has a HER-id becomes the one `Dept` (levels in between are left out, since
 * AppRec has only two levels and the deepest HER-id is the address).
 */
export function appRecPartyFromOrganisation(org: Organisation, identification: InstitutionIdentification = 'herId'): AppRecParty {
  const topHer = levelHerId(org);
  const orgNumber = org.idents.find((i) => i.typeId.v === 'ENH')?.id;
  let inst: AppRecInstitution;
  if (identification === 'orgNumber' && orgNumber !== undefined) {
    inst = {
      name: org.name,
      id: orgNumber,
      typeId: ORG_NUMBER_TYPE,
      ...(topHer === undefined ? {} : { additionalIds: [{ id: topHer, type: HER_ID_TYPE }] }),
    };
  } else if (topHer !== undefined) {
    inst = { name: org.name, id: topHer, typeId: HER_ID_TYPE };
  } else if (orgNumber !== undefined) {
    inst = { name: org.name, id: orgNumber, typeId: ORG_NUMBER_TYPE };
  } else {
    inst = { name: org.name };
  }
  let dept: AppRecDept | undefined;
  let level = org.organisation;
  while (level !== undefined) {
    const her = levelHerId(level);
    if (her !== undefined) dept = { name: level.name, id: her, typeId: HER_ID_TYPE };
    level = level.organisation;
  }
  return { hcp: { inst: dept === undefined ? inst : { ...inst, depts: [dept] } } };
}
