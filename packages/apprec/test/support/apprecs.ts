/** A valid AppRec model for tests (synthetic HER-ids). */
import type { AppRecInput } from '../../src/index';

export function validAppRecInput(): AppRecInput {
  return {
    genDate: '2024-05-02T08:21:00Z',
    id: '9c3b1f0a-7d2e-4c5b-8a69-0e1d2c3b4a59',
    sender: {
      hcp: {
        inst: {
          name: 'Skien kommune',
          id: '8143100',
          typeId: { v: 'HER', dn: 'HER-id' },
          depts: [{ name: 'Sykepleietjeneste', id: '8143101', typeId: { v: 'HER', dn: 'HER-id' } }],
        },
      },
    },
    receiver: {
      hcp: {
        inst: {
          name: 'Sykehuset Telemark HF',
          id: '983975240',
          typeId: { v: 'ENH', dn: 'Organisasjonsnummeret i Enhetsregister' },
          additionalIds: [{ id: '8142519', type: { v: 'HER', dn: 'HER-id' } }],
          depts: [{ name: 'Somatikk plo meldingsmottak', id: '8142520', typeId: { v: 'HER', dn: 'HER-id' } }],
        },
      },
    },
    status: { v: '2', dn: 'Avvist' },
    errors: [{ v: 'E35', dn: 'Pasienten finnes ikke i mottakersystemet', s: '2.16.578.1.12.4.1.1.8221', ot: 'Ingen pasient med dette fødselsnummeret' }],
    originalMsgId: {
      msgType: { v: 'LOG_UTSKRIVNINGSKLAR', dn: 'Melding om utskrivningsklar pasient' },
      issueDate: '2024-05-02T10:20:00+02:00',
      id: '6f0e2a56-8c1b-4d3e-9a57-2b1c0d9e8f71',
    },
  };
}
