import type { XmlElement } from '../xml/tree';

/** Context handed to a content builder. */
export interface BuildContext {
  /** Content namespace to build (one of the definition's `namespaces`). */
  readonly namespace: string;
}

/** Context handed to a content parser. */
export interface ParseContext {
  /** Namespace the content root was found in. */
  readonly namespace: string;
}

/**
 * One message type (Volven 8279 code) in one or more versions. Adding a newly approved type or
 * version means registering a new definition; nothing in the core changes.
 */
export interface MessageTypeDefinition<TModel = unknown> {
  /** MsgInfo/Type V, from code list 8279, e.g. `LOG_INNLAGT`. */
  readonly type: string;
  /** MsgInfo/Type DN. */
  readonly displayName: string;
  /** Standard and version, e.g. `PLO 1.6` or `Dialogmelding 1.1`. */
  readonly standard: string;
  /** Content namespaces accepted when parsing; the first is the one built by default. */
  readonly namespaces: readonly string[];
  /** Local name of the content root element in `RefDoc/Content`. */
  readonly rootElement: string;
  /** Model → content element tree. Throws a typed error on invalid input. */
  buildContent(model: TModel, ctx: BuildContext): XmlElement;
  /** Content element tree → model. Throws a typed error on content that cannot be read. */
  parseContent(root: XmlElement, ctx: ParseContext): TModel;
}
