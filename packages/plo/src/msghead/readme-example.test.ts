// The README's example, kept runnable.
import { buildMessage, parseMessage, herIdent, personIdent } from '../index';
import type { Pasientlogistikk } from '../index';

it('README example: build a LOG_UTSKRIVNINGSKLAR and parse it back', () => {
  const xml = buildMessage<Pasientlogistikk>(
    {
      type: 'LOG_UTSKRIVNINGSKLAR',
      sender: { name: 'Sykehuset Telemark HF', idents: [herIdent(8142519)] },
      receiver: { name: 'Skien kommune', idents: [herIdent(8143100)], organisation: { name: 'Sykepleietjeneste', idents: [herIdent(8143101)] } },
      patient: { familyName: 'Nordmann', givenName: 'Kari', idents: [personIdent('31129956715')] },
      content: { informasjonOmForsendelsen: { forsendelsesstatus: 'N' }, hendelse: { tidspunkt: '2024-05-02T10:15:00+02:00' } },
    },
    { clock: () => new Date(Date.UTC(2024, 4, 2, 8, 20)) },
  );
  const { type, msgHead, content } = parseMessage<Pasientlogistikk>(xml);
  expect(type).toBe('LOG_UTSKRIVNINGSKLAR');
  expect(msgHead.msgInfo.msgId).toMatch(/^[0-9a-f-]{36}$/);
  expect(msgHead.msgInfo.genDate).toBe('2024-05-02T08:20:00Z');
  expect(content?.hendelse.tidspunkt).toBe('2024-05-02T10:15:00+02:00');
});
