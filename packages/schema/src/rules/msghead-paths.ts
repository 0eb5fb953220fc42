import type { XmlElement } from '@samhandling/plo';
import { childNamed, textOf } from '../locate';
import type { RuleContext } from './context';

/** MsgInfo of a MsgHead document. */
export function msgInfo(ctx: RuleContext): XmlElement | undefined {
  return ctx.kind === 'msghead' ? childNamed(ctx.root, 'MsgInfo') : undefined;
}

/** MsgInfo/Type V (MsgHead) or MsgType V (AppRec), when present. */
export function messageTypeOf(root: XmlElement, kind: RuleContext['kind']): string | undefined {
  const typeElement = kind === 'msghead' ? childNamed(childNamed(root, 'MsgInfo'), 'Type') : childNamed(root, 'MsgType');
  return typeElement?.attrs['V'];
}

/** The element holding the message id and GenDate: MsgInfo (MsgHead) or the root (AppRec). */
export function headerElement(ctx: RuleContext): XmlElement | undefined {
  return ctx.kind === 'msghead' ? msgInfo(ctx) : ctx.root;
}

/** Trimmed text of a named child. */
export function childText(element: XmlElement | undefined, name: string): string | undefined {
  return textOf(childNamed(element, name));
}
