export type { XmlElement, XmlNode, XmlText } from './xml/tree';
export { isElement } from './xml/tree';
export type { BuildContext, MessageTypeDefinition, ParseContext } from './registry/types';
