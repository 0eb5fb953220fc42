/**
 * SMTP peer down (issue 6, DOMAIN §8): the municipality's SMTP endpoint is not there while the
 * hospital sends. The messages wait in the outbox (backoff), the partner is declared down once
 * the failures last past the threshold, and the downtime notice goes by e-mail (nodemailer over
 * real SMTP) to both meldingsansvarlig contacts, captured by a local SMTP sink. When the peer
 * comes up the messages flow, each is delivered once and answered with its AppRec, and the
 * all-clear e-mail goes out. Time is an injected clock moved forward by the test.
 */
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import type { ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { deepestHerId } from '@samhandling/plo';
import type { Organisation } from '@samhandling/plo';
import type { Actor } from '../src/engine/api';
import { patient as chainPatient, stayChain } from '../../../tools/demo/stay-chain.mjs';
import { HOST, KOMMUNE, createPair, until } from './loopback-pair';
import type { Pair } from './loopback-pair';

const EPJ: Actor = { kind: 'epj-system', id: 'epj' };
const OPERATOR: Actor = { kind: 'operator', id: 'ops' };
interface ChainInput { readonly type: string; readonly sender: Organisation; readonly receiver: Organisation; readonly content: Record<string, unknown> }

interface Sink {
  readonly port: number;
  readonly mails: ParsedMail[];
  close(): Promise<void>;
}

/** A local SMTP server that keeps every mail it receives. */
async function startSink(): Promise<Sink> {
  const mails: ParsedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        (mail) => {
          mails.push(mail);
          callback();
        },
        (err: Error) => callback(err),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { port, mails, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const recipients = (m: ParsedMail): string[] =>
  (Array.isArray(m.to) ? m.to : m.to === undefined ? [] : [m.to]).flatMap((a) => a.value.map((v) => v.address ?? '')).sort();

test('the peer is down: messages wait, downtime notices are e-mailed to both meldingsansvarlig; the peer comes back: messages flow once, all-clear e-mailed', async () => {
  let now = new Date('2024-03-04T08:00:00Z');
  const advance = (ms: number): void => {
    now = new Date(now.getTime() + ms);
  };
  const sink = await startSink();
  let pair: Pair | undefined;
  try {
    pair = await createPair({
      clock: () => new Date(now.getTime()),
      config: (side) => ({
        notifications: { smtp: { host: HOST, port: sink.port }, from: side === 'hospital' ? 'samhandling@sykehus.test' : 'samhandling@kommune.test' },
        downtime: { failureThreshold: 2, downAfterMs: 30 * 60_000 },
        retry: { initialDelayMs: 60_000, factor: 2, maxDelayMs: 10 * 60_000, jitter: 0 },
        receipts: { defaultDeadlineMs: 24 * 3600_000 },
      }),
    });
    const { hospital, kommune } = pair;
    await hospital.engine.start(); // the municipality's SMTP server is not running

    const sent: string[] = [];
    for (const [, , raw] of stayChain.slice(0, 4) as unknown as readonly (readonly [string, string, ChainInput])[]) {
      if (!deepestHerId(raw.sender)?.startsWith('81425')) continue; // the hospital's messages only
      const r = await hospital.engine.submit(
        { type: raw.type, senderHerId: Number(deepestHerId(raw.sender)), receiverHerId: Number(deepestHerId(raw.receiver)), patient: chainPatient as unknown as Record<string, unknown>, content: raw.content },
        EPJ,
      );
      if (!r.accepted) throw new Error(`${raw.type} refused: ${JSON.stringify(r.issues)}`);
      sent.push(r.msgId);
    }
    expect(sent).toHaveLength(3);

    // Every send fails (connection refused): the messages wait with a next attempt, the partner is suspected.
    await until('failed sends', async () => (await hospital.engine.listOutgoing({}, OPERATOR)).filter((o) => o.transport.state === 'failed').length === 3);
    for (const o of await hospital.engine.listOutgoing({}, OPERATOR)) {
      expect(o.transport.state).toBe('failed');
      expect(o.transport.nextAttemptAt).toBeDefined();
      expect(o.receipt.state).toBe('awaiting');
    }
    expect((await hospital.engine.downtime(OPERATOR)).partners.find((p) => String(p.herId) === KOMMUNE)?.state).toBe('suspected');
    expect(sink.mails).toHaveLength(0);

    // Past the threshold: declared down, the notice e-mailed to both contacts.
    advance(31 * 60_000);
    await hospital.engine.runOnce();
    await until('the downtime notice', async () => sink.mails.length >= 1);
    const notice = sink.mails[0] as ParsedMail;
    expect(notice.subject).toMatch(/Driftsavbrudd/);
    expect(recipients(notice)).toEqual(['meldingsansvarlig@kommune.test', 'meldingsansvarlig@sykehus.test']);
    expect(notice.text).toContain(KOMMUNE);
    expect((await hospital.engine.downtime(OPERATOR)).partners.find((p) => String(p.herId) === KOMMUNE)?.state).toBe('down');
    expect((await hospital.engine.listTasks({ open: true }, OPERATOR)).some((t) => t.kind === 'alarm' && t.title.includes(KOMMUNE))).toBe(true);

    // The peer comes up; the next attempts go through.
    await kommune.engine.start();
    advance(11 * 60_000);
    await hospital.engine.runOnce();
    for (const msgId of sent) {
      await until(`${msgId} delivered and answered`, async () => (await hospital.engine.listOutgoing({}, OPERATOR)).find((o) => o.msgId === msgId)?.receipt.state === 'ok');
    }
    await until('the all-clear', async () => sink.mails.length >= 2);
    const allClear = sink.mails[1] as ParsedMail;
    expect(allClear.subject).toMatch(/gjenopprettet/);
    expect(recipients(allClear)).toEqual(['meldingsansvarlig@kommune.test', 'meldingsansvarlig@sykehus.test']);
    expect((await hospital.engine.downtime(OPERATOR)).partners.find((p) => String(p.herId) === KOMMUNE)?.state).toBe('up');
    expect((await hospital.engine.listTasks({ open: true }, OPERATOR)).some((t) => t.kind === 'alarm' && t.title.includes(`HER-id ${KOMMUNE} is down`))).toBe(false);

    // Each message delivered exactly once; the downtime log tells the whole story.
    const inbox = await kommune.engine.listInbox({}, EPJ);
    expect(inbox.map((i) => i.msgId).sort()).toEqual([...sent].sort());
    const log = (await hospital.engine.store?.listDowntime({ limit: 100 })) ?? [];
    expect(log.map((e) => e.kind)).toEqual(['down-detected', 'notice-sent', 'restored', 'all-clear-sent']);
    expect(sink.mails).toHaveLength(2);
  } finally {
    await pair?.dispose();
    await sink.close();
  }
}, 120_000);

