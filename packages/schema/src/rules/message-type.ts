import { makeIssue } from '../issues';
import type { Issue } from '../issues';
import { childNamed } from '../locate';
import type { Rule } from './context';
import { messageTypeOf, msgInfo } from './msghead-paths';

/** MsgInfo/Type V must be a supported message type; an AppRec's MsgType must be APPREC. */
export const messageTypeRule: Rule = (ctx) => {
  const issues: Issue[] = [];
  const type = messageTypeOf(ctx.root, ctx.kind);
  const element = ctx.kind === 'msghead' ? childNamed(msgInfo(ctx), 'Type') : childNamed(ctx.root, 'MsgType');
  if (element === undefined) return issues; // the XSD reports a missing element
  // The path is looked up only for an issue (it indexes the whole tree).
  const location = (): { line: number | undefined; xpath: string | undefined } => ({ line: element.line, xpath: ctx.locator.pathOf(element) });
  if (type === undefined || type.trim() === '') {
    issues.push(makeIssue('ERR_SCHEMA_UNKNOWN_MESSAGE_TYPE', 'Message type has no code (attribute V)', location()));
  } else if (ctx.kind === 'apprec' ? type !== 'APPREC' : !ctx.isKnownMessageType(type)) {
    issues.push(makeIssue('ERR_SCHEMA_UNKNOWN_MESSAGE_TYPE', `Message type "${type}" is not supported`, location()));
  }
  return issues;
};
