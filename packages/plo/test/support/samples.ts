/**
 * Valid sample inputs for tests (synthetic data: the fødselsnummer 31129956715 is the public
 * example from DOMAIN.md §7; HER-ids and organisation numbers are made up but well-formed).
 */
import type { BuildMessageInput, Organisation, Pasientlogistikk, Person } from '../../src/index';
import { herIdent, orgNumberIdent, personIdent } from '../../src/index';

export const hospital: Organisation = {
  name: 'Sykehuset Telemark HF',
  idents: [herIdent(8142519)],
  organisation: { name: 'Somatikk plo meldingsmottak', idents: [herIdent(8142520)] },
};

export const municipality: Organisation = {
  name: 'Skien kommune',
  idents: [herIdent(8143100), orgNumberIdent('983975267')],
  organisation: { name: 'Sykepleietjeneste', idents: [herIdent(8143101)] },
};

export const patient: Person = {
  familyName: 'Nordmann',
  givenName: 'Kari',
  idents: [personIdent('31129956715', 'FNR')],
};

export const utskrivningsklar: Pasientlogistikk = {
  informasjonOmForsendelsen: { forsendelsesstatus: 'N' },
  hendelse: { tidspunkt: '2024-05-02T10:15:00+02:00', merknad: 'Utskrivningsklar fra i dag' },
  tilknyttetEnhet: [{ kontaktenhet: { name: 'Sykehuset Telemark HF', idents: [herIdent(8142519)], organisation: { name: 'Medisinsk post 3', idents: [herIdent(8142521)] } } }],
};

export function utskrivningsklarInput(): BuildMessageInput<Pasientlogistikk> {
  return {
    type: 'LOG_UTSKRIVNINGSKLAR',
    msgId: 'b3f1a3c6-3d1b-4a51-9d1e-6f1f4c0b9a01',
    genDate: '2024-05-02T10:20:00+02:00',
    sender: hospital,
    receiver: municipality,
    patient,
    content: utskrivningsklar,
  };
}
