import type { XmlElement } from '@samhandling/plo';
import { makeIssue } from '../issues';
import type { Issue } from '../issues';
import { childNamed, textOf } from '../locate';
import type { Rule, RuleContext } from './context';
import { headerElement } from './msghead-paths';

const GUID = /^\{?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}?$/i;
const MIN_LENGTH = 8;
const MAX_LENGTH = 200;

/** Why a message id is unusable, or undefined when it is usable. */
export function msgIdProblem(id: string): string | undefined {
  if (id === '') return 'is empty';
  if (id.length < MIN_LENGTH) return `is shorter than ${MIN_LENGTH} characters`;
  if (id.length > MAX_LENGTH) return `is longer than ${MAX_LENGTH} characters`;
  if (/\s/.test(id)) return 'contains white space';
  // Trivial: one character repeated (ignoring case, '-', '{' and '}').
  let first: string | undefined;
  for (const ch of id.toLowerCase()) {
    if (ch === '-' || ch === '{' || ch === '}') continue;
    if (first === undefined) first = ch;
    else if (ch !== first) return undefined;
  }
  return 'is trivial (one repeated character)';
}

function check(ctx: RuleContext, element: XmlElement | undefined, label: string, issues: Issue[]): void {
  if (element === undefined) return; // the XSD reports a missing element
  const id = textOf(element) ?? '';
  // The path is looked up only for an issue (it indexes the whole tree).
  const location = (): { line: number | undefined; xpath: string | undefined } => ({ line: element.line, xpath: ctx.locator.pathOf(element) });
  const problem = msgIdProblem(id);
  if (problem !== undefined) {
    issues.push(makeIssue('ERR_SCHEMA_MSGID_INVALID', `${label} ${problem}`, location()));
  } else if (!GUID.test(id)) {
    issues.push(makeIssue('ERR_SCHEMA_MSGID_NOT_GUID', `${label} "${id.slice(0, 60)}" is not a GUID`, location()));
  }
}

/** The message id must look unique: not empty or trivial; a GUID is expected (warning otherwise). */
export const msgIdRule: Rule = (ctx) => {
  const issues: Issue[] = [];
  const header = headerElement(ctx);
  if (ctx.kind === 'msghead') {
    check(ctx, childNamed(header, 'MsgId'), 'MsgId', issues);
  } else {
    check(ctx, childNamed(header, 'Id'), 'AppRec Id', issues);
    check(ctx, childNamed(childNamed(header, 'OriginalMsgId'), 'Id'), 'OriginalMsgId/Id', issues);
  }
  return issues;
};
