/**
 * The default registry: every message type this package knows. Each content area adds its
 * definitions here (one import and one entry); nothing else in the core changes.
 */
import { MessageTypeRegistry } from './registry';
import { pasientlogistikkDefinitions } from '../content/pasientlogistikk/definitions';
import { helseopplysningerDefinition } from '../content/helseopplysninger/helseopplysninger';
import { innleggelsesrapportDefinition, utskrivningsrapportDefinition } from '../content/rapporter/rapporter';
import { dialogAvvikDefinition, dialogForesporselDefinition, dialogSvarDefinition } from '../content/dialog/definitions';

/** Registry with every built-in message type definition. */
export const defaultRegistry: MessageTypeRegistry = new MessageTypeRegistry([
  // Pasientlogistikk (PLO 1.6 / 1.5)
  ...pasientlogistikkDefinitions,
  // Helseopplysninger, Innleggelsesrapport, Utskrivningsrapport (PLO 1.6 / 1.5)
  helseopplysningerDefinition,
  innleggelsesrapportDefinition,
  utskrivningsrapportDefinition,
  // Dialogmelding 1.1 / 1.0
  dialogForesporselDefinition,
  dialogSvarDefinition,
  dialogAvvikDefinition,
]);
