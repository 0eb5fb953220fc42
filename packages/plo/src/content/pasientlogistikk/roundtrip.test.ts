import fc from 'fast-check';
import { buildMessage, parseMessage } from '../../msghead/message';
import type { Pasientlogistikk } from './model';
import { PASIENTLOGISTIKK_NS_V16 } from './model';
import { inputArb } from '../../../test/support/arbitraries';

describe('Pasientlogistikk round trip (property)', () => {
  it('build → parse gives back the header and the content, for every type and both versions', () => {
    fc.assert(
      fc.property(inputArb, fc.boolean(), (input, pretty) => {
        const xml = buildMessage(input, { pretty });
        const parsed = parseMessage<Pasientlogistikk>(xml);
        expect(parsed.type).toBe(input.type);
        expect(parsed.contentNamespace).toBe(input.namespace ?? PASIENTLOGISTIKK_NS_V16);
        expect(parsed.content).toEqual(input.content);
        const mi = parsed.msgHead.msgInfo;
        expect(mi.msgId).toBe(input.msgId);
        expect(mi.genDate).toBe(input.genDate);
        expect(mi.sender.organisation).toEqual(input.sender);
        expect(mi.receiver.organisation).toEqual(input.receiver);
        expect(mi.patient).toEqual(input.patient);
        expect(mi.conversationRef).toEqual(input.conversationRef);
      }),
      { numRuns: 150 },
    );
  });
});
