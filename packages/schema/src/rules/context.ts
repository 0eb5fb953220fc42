import type { XmlElement } from '@samhandling/plo';
import type { Issue } from '../issues';
import type { ElementLocator } from '../locate';

/** Names of the business rules run after XSD validation. */
export type RuleName = 'messageType' | 'patientId' | 'parties' | 'codes' | 'msgId' | 'genDate';

/** All rule names, in the order they run. */
export const RULE_NAMES: readonly RuleName[] = ['messageType', 'msgId', 'genDate', 'parties', 'patientId', 'codes'];

/** Which kind of document the rules look at. */
export type DocumentKind = 'msghead' | 'apprec';

/** What a rule gets: the document tree and the validator's settings. */
export interface RuleContext {
  readonly root: XmlElement;
  /**
   * Every element with `V` and `S` attributes, when the tree is scoped (the content is not in
   * `root`): `[V, S, line, path]`. Undefined: walk `root`.
   */
  readonly codes?: readonly (readonly [value: string, system: string, line: number, xpath: string])[];
  readonly kind: DocumentKind;
  readonly locator: ElementLocator;
  /** `test` allows synthetic fødselsnummer. */
  readonly environment: 'production' | 'test';
  /** The instant "now" (from the injected clock). */
  readonly now: Date;
  /** Allowed clock skew for GenDate in the future, milliseconds. */
  readonly clockSkewMs: number;
  /** Maximum plausible age of GenDate, milliseconds. */
  readonly maxMessageAgeMs: number;
  /** True when the message type is supported. */
  readonly isKnownMessageType: (type: string) => boolean;
  /** True when a message of this type must identify the patient. */
  readonly requiresPatient: (type: string) => boolean;
}

/** A business rule: reads the tree, returns issues (never throws on bad data). */
export type Rule = (ctx: RuleContext) => Issue[];

/**
 * The element names the rules read below a MsgHead's MsgInfo (the scoped tree keeps only these:
 * a rule that reads another element must add its name here; `src/scoped.test.ts` compares the
 * rules' findings on the scoped and the full tree).
 */
export const MSGINFO_FACT_NAMES: readonly string[] = ['Type', 'MsgId', 'GenDate', 'Sender', 'Receiver', 'Patient', 'Organisation', 'HealthcareProfessional', 'Ident', 'Id', 'TypeId'];
