import { buildMessage, herIdent, orgNumberIdent, parseMessage, personIdent } from '@samhandling/plo';
import type { Organisation } from '@samhandling/plo';
import { createValidator } from '@samhandling/schema';
import { readdressed } from './readdress';

const clock = (): Date => new Date('2024-03-04T10:00:00+01:00');
const hospital: Organisation = { name: 'Sykehuset Telemark HF', idents: [herIdent('8142519'), orgNumberIdent('983975267')], organisation: { name: 'Somatikk', idents: [herIdent('8142520')] } };
const kommune = (department: string, name: string): Organisation => ({
  name: 'Skien kommune',
  idents: [herIdent('8143100'), orgNumberIdent('938583986')],
  organisation: { name, idents: [herIdent(department)] },
});
const ours = new Set(['8143100', '8143101', '8143102']);

function message(receiver: Organisation): string {
  return buildMessage(
    {
      type: 'LOG_INNLAGT',
      sender: hospital,
      receiver,
      patient: { familyName: 'Nordmann', givenName: 'Åse', idents: [personIdent('31129956715')] },
      content: { informasjonOmForsendelsen: { forsendelsesstatus: 'N' }, hendelse: { tidspunkt: '2024-03-04T09:00:00+01:00', merknad: 'Innlagt, æøå' } },
    },
    { clock, idGenerator: () => '5a3e0c1d-0000-4000-8000-000000000001' },
  );
}

describe('readdressed', () => {
  const validator = createValidator({ clock });

  test('an unknown department of ours is replaced by the target department; the rest is unchanged and still valid', () => {
    const original = message(kommune('8143109', 'Ukjent sone'));
    const xml = readdressed(original, { herId: '8143102', name: 'Saksbehandler' }, ours);
    const before = parseMessage(original);
    const after = parseMessage(xml);
    expect(after.msgHead.msgInfo.receiver.organisation).toMatchObject({ name: 'Skien kommune', organisation: { name: 'Saksbehandler', idents: [{ id: '8143102' }] } });
    expect(after.msgHead.msgInfo.msgId).toBe(before.msgHead.msgInfo.msgId);
    expect(after.msgHead.msgInfo.sender).toEqual(before.msgHead.msgInfo.sender);
    expect(after.content).toEqual(before.content);
    expect(validator.validate(xml).issues.filter((i) => i.severity === 'error')).toEqual([]);
  });

  test('a target that is the deepest level of ours cuts what is below it', () => {
    const xml = readdressed(message(kommune('8143109', 'Ukjent sone')), { herId: '8143100', name: 'Skien kommune' }, ours);
    expect(parseMessage(xml).msgHead.msgInfo.receiver.organisation).toMatchObject({ name: 'Skien kommune', idents: expect.arrayContaining([expect.objectContaining({ id: '8143100' })]) });
    expect(parseMessage(xml).msgHead.msgInfo.receiver.organisation.organisation).toBeUndefined();
  });

  test('a receiver that is not ours at all is replaced by the target alone', () => {
    const stranger: Organisation = { name: 'Fremmed', idents: [herIdent('8150000')] };
    const xml = readdressed(message(stranger), { herId: '8143101', name: 'Sykepleietjeneste' }, ours);
    expect(parseMessage(xml).msgHead.msgInfo.receiver.organisation).toMatchObject({ name: 'Sykepleietjeneste', idents: [{ id: '8143101' }] });
  });
});
