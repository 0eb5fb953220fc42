import { isValidHerId } from '@samhandling/plo';
import type { XmlElement } from '@samhandling/plo';
import { makeIssue } from '../issues';
import type { Issue, SchemaIssueCode } from '../issues';
import { childNamed, childrenNamed, textOf } from '../locate';
import type { Rule, RuleContext } from './context';
import { msgInfo } from './msghead-paths';

interface HerLookup {
  /** Valid HER-ids found on this level. */
  readonly valid: string[];
  /** HER-typed ids that are not valid HER-ids. */
  readonly invalid: string[];
}

/** HER-ids in a MsgHead element with Ident children (Ident/Id + Ident/TypeId V="HER"). */
function msgHeadHer(element: XmlElement): HerLookup {
  const result: HerLookup = { valid: [], invalid: [] };
  for (const ident of childrenNamed(element, 'Ident')) {
    if (childNamed(ident, 'TypeId')?.attrs['V'] !== 'HER') continue;
    const id = textOf(childNamed(ident, 'Id')) ?? '';
    (isValidHerId(id) ? result.valid : result.invalid).push(id);
  }
  return result;
}

/** HER-id of an AppRec level (Inst, Dept, HCProf, HCPerson): Id + TypeId V="HER". */
function appRecHer(element: XmlElement): HerLookup {
  const result: HerLookup = { valid: [], invalid: [] };
  if (childNamed(element, 'TypeId')?.attrs['V'] === 'HER') {
    const id = textOf(childNamed(element, 'Id')) ?? '';
    (isValidHerId(id) ? result.valid : result.invalid).push(id);
  }
  return result;
}

/** Organisation levels from the top down; then the healthcare professional of the deepest level. */
function msgHeadLevels(party: XmlElement): XmlElement[] {
  const levels: XmlElement[] = [];
  let org = childNamed(party, 'Organisation');
  let guard = 0;
  while (org !== undefined && guard++ < 1000) {
    levels.push(org);
    const next = childNamed(org, 'Organisation');
    if (next === undefined) {
      const hcp = childNamed(org, 'HealthcareProfessional');
      if (hcp !== undefined) levels.push(hcp);
    }
    org = next;
  }
  return levels;
}

function appRecLevels(party: XmlElement): XmlElement[] {
  const hcp = childNamed(party, 'HCP');
  const inst = childNamed(hcp, 'Inst');
  if (inst !== undefined) return [inst, ...childrenNamed(inst, 'Dept').slice(0, 1)];
  const prof = childNamed(hcp, 'HCProf');
  return prof === undefined ? [] : [prof];
}

function checkParty(ctx: RuleContext, party: XmlElement | undefined, role: 'Sender' | 'Receiver', issues: Issue[]): void {
  if (party === undefined) return; // the XSD reports a missing element
  const code: SchemaIssueCode = role === 'Receiver' ? 'ERR_SCHEMA_RECEIVER_MISSING' : 'ERR_SCHEMA_SENDER_MISSING';
  const levels = ctx.kind === 'msghead' ? msgHeadLevels(party) : appRecLevels(party);
  const lookups = levels.map((level) => (ctx.kind === 'msghead' ? msgHeadHer(level) : appRecHer(level)));
  const invalid = lookups.flatMap((l) => l.invalid);
  for (const [i, lookup] of lookups.entries()) {
    if (lookup.invalid.length === 0) continue;
    const level = levels[i] as XmlElement;
    issues.push(
      makeIssue(code, `${role} HER-id "${(lookup.invalid[0] ?? '').slice(0, 40)}" is not a valid HER-id`, {
        line: level.line,
        xpath: ctx.locator.pathOf(level),
      }),
    );
  }
  const deepestWithHer = lookups.map((l) => l.valid.length > 0).lastIndexOf(true);
  if (deepestWithHer === -1) {
    if (invalid.length === 0) {
      issues.push(makeIssue(code, `${role} is not identified by a HER-id`, { line: party.line, xpath: ctx.locator.pathOf(party) }));
    }
    return;
  }
  // The addressee is the deepest organisation level (or its healthcare professional).
  const deepestOrg = ctx.kind === 'msghead' ? levels.filter((l) => l.name === 'Organisation').length - 1 : levels.length - 1;
  if (deepestWithHer < deepestOrg) {
    const level = levels[deepestOrg] as XmlElement;
    issues.push(
      makeIssue('ERR_SCHEMA_HER_ID_NOT_DEEPEST', `${role}: the deepest organisation level has no HER-id`, {
        line: level.line,
        xpath: ctx.locator.pathOf(level),
      }),
    );
  }
}

/** Sender and receiver must be addressed by a valid HER-id, on the deepest level. */
export const partiesRule: Rule = (ctx) => {
  const issues: Issue[] = [];
  const holder = ctx.kind === 'msghead' ? msgInfo(ctx) : ctx.root;
  if (holder === undefined) return issues;
  checkParty(ctx, childNamed(holder, 'Sender'), 'Sender', issues);
  checkParty(ctx, childNamed(holder, 'Receiver'), 'Receiver', issues);
  return issues;
};
