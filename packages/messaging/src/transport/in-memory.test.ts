import { describeTransportContract } from '../../test/transport-contract';
import { createInMemoryNetwork } from './in-memory';

const A = '1001';
const B = '2002';
const STRANGER = '3003';
const resend = { ackTimeoutMs: 200, maxResends: 2, backoffFactor: 1.5 };

describeTransportContract('in-memory', async () => {
  const network = createInMemoryNetwork();
  const a = network.endpoint({ herIds: [A], knownParties: [B], resend });
  const b = network.endpoint({ herIds: [B], knownParties: [A], resend, maxPayloadBytes: 256 * 1024 });
  const stranger = network.endpoint({ herIds: [STRANGER], knownParties: [B], resend });
  await Promise.all([a.start(), b.start(), stranger.start()]);
  return {
    a,
    b,
    aHer: A,
    bHer: B,
    sendTampered: (e) => network.injectTampered(e),
    sendFromUnknown: (e) => stranger.send({ ...e, from: STRANGER }),
    oversizedPayloadBytes: 300 * 1024,
    stopB: () => b.stop(),
    startB: () => b.start(),
    close: async () => {
      await Promise.all([a.stop(), b.stop(), stranger.stop()]);
    },
  };
});
