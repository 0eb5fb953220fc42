/**
 * Registry definitions of the dialogue messages: `DIALOG_FORESPORSEL`, `DIALOG_SVAR`,
 * `DIALOG_AVVIK`. All three use the `Dialogmelding` root; v1.1 is built, v1.1 and v1.0 are read.
 */
import type { MessageTypeDefinition } from '../../registry/types';
import { buildDialogAvvikContent, buildDialogForesporselContent, buildDialogSvarContent } from './build';
import type { DialogAvvik, DialogForesporsel, DialogSvar } from './model';
import { DIALOG_NS_V1_0, DIALOG_NS_V1_1 } from './model';
import { parseDialogAvvikContent, parseDialogForesporselContent, parseDialogSvarContent } from './parse';

const NAMESPACES = [DIALOG_NS_V1_1, DIALOG_NS_V1_0] as const;

/** `DIALOG_FORESPORSEL` (Forespørsel), Dialogmelding 1.1 `Dialogmelding/Foresporsel`. */
export const dialogForesporselDefinition: MessageTypeDefinition<DialogForesporsel> = {
  type: 'DIALOG_FORESPORSEL',
  displayName: 'Forespørsel',
  standard: 'Dialogmelding 1.1',
  namespaces: NAMESPACES,
  rootElement: 'Dialogmelding',
  buildContent: (model, ctx) => buildDialogForesporselContent(model, ctx.namespace),
  parseContent: (root, ctx) => parseDialogForesporselContent(root, ctx.namespace),
};

/** `DIALOG_SVAR` (Svar på forespørsel), Dialogmelding 1.1 `Dialogmelding/Notat`. */
export const dialogSvarDefinition: MessageTypeDefinition<DialogSvar> = {
  type: 'DIALOG_SVAR',
  displayName: 'Svar på forespørsel',
  standard: 'Dialogmelding 1.1',
  namespaces: NAMESPACES,
  rootElement: 'Dialogmelding',
  buildContent: (model, ctx) => buildDialogSvarContent(model, ctx.namespace),
  parseContent: (root, ctx) => parseDialogSvarContent(root, ctx.namespace),
};

/** `DIALOG_AVVIK` (Tilbakemelding om feil i mottatt melding), Dialogmelding 1.1 `Dialogmelding/Notat`. */
export const dialogAvvikDefinition: MessageTypeDefinition<DialogAvvik> = {
  type: 'DIALOG_AVVIK',
  displayName: 'Tilbakemelding om feil i mottatt melding',
  standard: 'Dialogmelding 1.1',
  namespaces: NAMESPACES,
  rootElement: 'Dialogmelding',
  buildContent: (model, ctx) => buildDialogAvvikContent(model, ctx.namespace),
  parseContent: (root, ctx) => parseDialogAvvikContent(root, ctx.namespace),
};
