/**
 * The default registry: every message type this package knows. Each content area adds its
 * definitions here (one import and one entry); nothing else in the core changes.
 */
import { MessageTypeRegistry } from './registry';
import { pasientlogistikkDefinitions } from '../content/pasientlogistikk/definitions';

/** Registry with every built-in message type definition. */
export const defaultRegistry: MessageTypeRegistry = new MessageTypeRegistry([
  // Pasientlogistikk (PLO 1.6 / 1.5)
  ...pasientlogistikkDefinitions,
]);
