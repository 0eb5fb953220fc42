/**
 * Re-addressing a quarantined message to one of our own receivers (ADR 0016): the MsgHead
 * `Receiver` is changed to name the receiver it was forwarded to, everything else stays as the
 * sender wrote it. Used only for a forward inside our organisation, delivered to our own EPJ inbox.
 */
import { isElement, readXml, serializeXml } from '@samhandling/plo';
import type { XmlElement, XmlNode } from '@samhandling/plo';

const MSGHEAD_NS = 'http://www.kith.no/xmlstds/msghead/2006-05-24';
const HER_OID = '2.16.578.1.12.4.1.1.9051';

type Mutable = { -readonly [K in keyof XmlElement]: XmlElement[K] } & { children: XmlNode[] };

function child(element: XmlElement | undefined, name: string): XmlElement | undefined {
  return element?.children.find((c): c is XmlElement => isElement(c) && c.name === name && c.ns === MSGHEAD_NS);
}

function textOf(element: XmlElement | undefined): string | undefined {
  if (element === undefined) return undefined;
  let text = '';
  for (const c of element.children) if (!isElement(c)) text += c.text;
  return text.trim();
}

function herOf(org: XmlElement): string | undefined {
  for (const ident of org.children) {
    if (!isElement(ident) || ident.name !== 'Ident') continue;
    if (child(ident, 'TypeId')?.attrs['V'] === 'HER') return textOf(child(ident, 'Id'));
  }
  return undefined;
}

function element(name: string, children: XmlNode[], attrs: Record<string, string> = {}): XmlElement {
  return { ns: MSGHEAD_NS, name, attrs, children };
}

/** The Organisation level naming `target`. */
function targetOrganisation(target: { readonly herId: string; readonly name: string }): XmlElement {
  return element('Organisation', [
    element('OrganisationName', [{ text: target.name }]),
    element('Ident', [element('Id', [{ text: target.herId }]), element('TypeId', [], { V: 'HER', S: HER_OID, DN: 'HER-id' })]),
  ]);
}

/**
 * `xml` with its MsgHead receiver re-addressed to `target`: the receiver's levels down to the
 * deepest one that is ours are kept and `target` becomes the level below it (or is that level);
 * when no level is ours, `target` alone names the receiver.
 *
 * @throws TypeError when `xml` has no MsgHead receiver organisation
 */
export function readdressed(xml: string, target: { readonly herId: string; readonly name: string }, ours: ReadonlySet<string>): string {
  const root = readXml(xml).root;
  const receiver = child(child(root, 'MsgInfo'), 'Receiver') as Mutable | undefined;
  const top = child(receiver, 'Organisation');
  if (receiver === undefined || top === undefined) throw new TypeError('the message has no MsgHead receiver organisation');
  const levels: Mutable[] = [];
  for (let org: XmlElement | undefined = top; org !== undefined; org = child(org, 'Organisation')) levels.push(org as Mutable);
  let deepestOurs = -1;
  levels.forEach((level, i) => {
    const her = herOf(level);
    if (her !== undefined && ours.has(her)) deepestOurs = i;
  });
  const replaceBelow = (parent: Mutable, replacement: XmlElement | undefined): void => {
    parent.children = parent.children.filter((c) => !(isElement(c) && (c.name === 'Organisation' || c.name === 'HealthcareProfessional')));
    if (replacement !== undefined) parent.children.push(replacement);
  };
  const kept = levels[deepestOurs];
  if (kept === undefined) {
    receiver.children = receiver.children.map((c) => (c === top ? targetOrganisation(target) : c));
  } else if (herOf(kept) === target.herId) {
    replaceBelow(kept, undefined);
  } else {
    replaceBelow(kept, targetOrganisation(target));
  }
  return serializeXml(root);
}
