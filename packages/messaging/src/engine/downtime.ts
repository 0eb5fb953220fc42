/**
 * The downtime routine (DOMAIN §8), per partner (the transport endpoint in the address register):
 * detect downtime from transport failures that last past a threshold or from overdue receipts;
 * notify the partner's and our meldingsansvarlig (e-mail through the Notifier port, plus an alarm
 * event); hold outgoing messages while an operator has the partner in manual mode; the all-clear
 * when traffic flows again; every step and every manual (non-electronic) delivery in the store's
 * append-only downtime log.
 * @internal
 */
import type { AddressRegister, MessagingContact } from '../address-register/types';
import type { MessagingStore } from '../store/types';
import type { DowntimeView } from './api';
import type { DowntimePolicy, EngineLogger, Notifier } from './config';
import type { TaskBook} from './records';
import { DOWNTIME_KEY, readRecord, updateRecord } from './records';

/** The state of one partner. */
export interface PartnerState {
  readonly herId: string;
  readonly state: 'up' | 'suspected' | 'down';
  /** Since when the partner is suspected or down. */
  readonly since?: string;
  readonly failures: number;
  readonly firstFailureAt?: string;
  readonly lastError?: string;
  readonly overdue: number;
  /** Operator switched the partner to manual handling: outgoing messages are held. */
  readonly manual: boolean;
}

interface DowntimeBook {
  readonly partners: readonly PartnerState[];
}

/** One partner as the engine's {@link DowntimeView} shows it. */
export type DowntimePartnerView = DowntimeView['partners'][number];

/**
 * One partner of the engine's downtime view: the monitor's state with the partner's name and the
 * number of held messages, and whether an operator has it in manual mode (`manualMode`).
 */
export function partnerView(p: PartnerState, name: string, heldMessages: number): DowntimePartnerView {
  return {
    herId: Number(p.herId),
    name,
    state: p.state,
    ...(p.since === undefined ? {} : { since: p.since }),
    heldMessages,
    manualMode: p.manual,
  };
}

/** An operator's downtime notice (see {@link DowntimeMonitor.announce}). */
export interface DowntimeAnnouncement {
  readonly planned: boolean;
  readonly from: Date;
  /** Absent: not known yet. */
  readonly expectedUntil?: Date;
  readonly reason: string;
}

/** Hooks of the monitor. */
export interface DowntimeHooks {
  readonly emitDowntime: (herId: string, state: 'up' | 'suspected' | 'down') => void;
  readonly emitAlarm: (taskId: string, title: string) => void;
}

const fresh = (herId: string): PartnerState => ({ herId, state: 'up', failures: 0, overdue: 0, manual: false });

/** Downtime detection and manual handling per partner. */
export class DowntimeMonitor {
  constructor(
    private readonly store: MessagingStore,
    private readonly now: () => Date,
    private readonly ar: AddressRegister,
    private readonly policy: DowntimePolicy,
    private readonly notifier: Notifier,
    private readonly ourHerIds: readonly string[],
    private readonly configuredContact: MessagingContact | undefined,
    private readonly tasks: TaskBook,
    private readonly actor: string,
    private readonly logger: EngineLogger,
    private readonly hooks: DowntimeHooks,
  ) {}

  private async change(herId: string, fn: (p: PartnerState) => PartnerState | undefined): Promise<{ before: PartnerState; after: PartnerState }> {
    let before = fresh(herId);
    let after = before;
    await updateRecord<DowntimeBook>(this.store, DOWNTIME_KEY, this.now, (cur) => {
      const partners = cur?.partners ?? [];
      before = partners.find((p) => p.herId === herId) ?? fresh(herId);
      const next = fn(before);
      after = next ?? before;
      if (next === undefined) return undefined;
      return { partners: partners.some((p) => p.herId === herId) ? partners.map((p) => (p.herId === herId ? next : p)) : [...partners, next] };
    });
    return { before, after };
  }

  /** Every known partner's state. */
  async partners(): Promise<readonly PartnerState[]> {
    return (await readRecord<DowntimeBook>(this.store, DOWNTIME_KEY))?.partners ?? [];
  }

  /** True while outgoing messages to the partner are held (manual mode). */
  async isHeld(herId: string): Promise<boolean> {
    return (await this.partners()).some((p) => p.herId === herId && p.manual);
  }

  /** A transport failure towards the partner. */
  async recordFailure(herId: string, error: string): Promise<void> {
    const at = this.now().toISOString();
    const { before, after } = await this.change(herId, (p) => ({
      ...p,
      failures: p.failures + 1,
      firstFailureAt: p.firstFailureAt ?? at,
      lastError: error,
      ...(p.state === 'up' ? { state: 'suspected' as const, since: at } : {}),
    }));
    if (before.state !== after.state) this.hooks.emitDowntime(herId, after.state);
  }

  /** An overdue receipt from the partner. */
  async noteOverdue(herId: string): Promise<void> {
    const at = this.now().toISOString();
    const { before, after } = await this.change(herId, (p) => ({ ...p, overdue: p.overdue + 1, ...(p.state === 'up' ? { state: 'suspected' as const, since: at } : {}) }));
    if (before.state !== after.state) this.hooks.emitDowntime(herId, after.state);
  }

  /**
   * Traffic flowed towards the partner. `transport`: a message was sent or acknowledged (clears the
   * transport failures); `receipt`: the partner's AppRec for one of our messages arrived (clears the
   * failures and the overdue receipts). A partner with neither left is up again; one that was down
   * gets the all-clear. A transport acknowledgment alone does not clear overdue receipts: a partner
   * whose system acknowledges but never answers stays suspected or down.
   */
  async recordSuccess(herId: string, signal: 'transport' | 'receipt'): Promise<void> {
    const clears = (p: PartnerState): boolean => p.failures > 0 || (signal === 'receipt' && p.overdue > 0);
    const current = (await this.partners()).find((p) => p.herId === herId);
    if (current === undefined || !clears(current)) return;
    const { before, after } = await this.change(herId, (p) => {
      if (!clears(p)) return undefined;
      const { firstFailureAt: _f, lastError: _e, ...rest } = p;
      const overdue = signal === 'receipt' ? 0 : p.overdue;
      if (overdue > 0) return { ...rest, failures: 0, overdue };
      const { since: _s, ...up } = rest;
      return { ...up, state: 'up', failures: 0, overdue: 0 };
    });
    if (before.state === after.state) return;
    this.hooks.emitDowntime(herId, 'up');
    if (before.state === 'down') {
      const at = this.now();
      await this.store.logDowntime({ partnerHerId: herId, kind: 'restored', at, actor: this.actor, details: { since: before.since ?? null } });
      const sent = await this.notifyBoth(herId, 'Elektronisk meldingsutveksling er gjenopprettet', `Meldingsutvekslingen med HER-id ${herId} fungerer igjen (nede siden ${before.since ?? 'ukjent'}).`);
      await this.store.logDowntime({ partnerHerId: herId, kind: 'all-clear-sent', at: this.now(), actor: this.actor, details: { to: sent } });
      for (const t of await this.tasks.list()) if (!t.done && t.id.startsWith(`downtime:${herId}:`)) await this.tasks.complete(t.id, this.actor);
    }
  }

  /** Declares partners down whose failures lasted past the thresholds; sends the notices. */
  async evaluate(): Promise<void> {
    const now = this.now();
    for (const p of await this.partners()) {
      if (p.state === 'down') continue;
      const failing = p.failures >= this.policy.failureThreshold && p.firstFailureAt !== undefined && now.getTime() - Date.parse(p.firstFailureAt) >= this.policy.downAfterMs;
      const overdue = p.overdue >= this.policy.overdueReceiptThreshold;
      if (!failing && !overdue) continue;
      const { before, after } = await this.change(p.herId, (x) => (x.state === 'down' ? undefined : { ...x, state: 'down', since: x.since ?? now.toISOString() }));
      if (before.state === after.state) continue;
      this.hooks.emitDowntime(p.herId, 'down');
      const reason = failing ? `${p.failures} transport failures since ${p.firstFailureAt ?? ''} (${p.lastError ?? ''})` : `${p.overdue} overdue receipts`;
      await this.store.logDowntime({ partnerHerId: p.herId, kind: 'down-detected', at: now, actor: this.actor, details: { reason } });
      const id = `downtime:${p.herId}:${after.since ?? now.toISOString()}`;
      const title = `electronic exchange with HER-id ${p.herId} is down`;
      if (await this.tasks.add({ id, kind: 'alarm', title, detail: reason })) this.hooks.emitAlarm(id, title);
      if (this.policy.holdWhenDown && !after.manual) {
        await this.change(p.herId, (x) => (x.manual ? undefined : { ...x, manual: true }));
        await this.store.logDowntime({ partnerHerId: p.herId, kind: 'held', at: this.now(), actor: this.actor, details: { manual: true, automatic: true } });
      }
      const sent = await this.notifyBoth(
        p.herId,
        'Driftsavbrudd i elektronisk meldingsutveksling',
        `Elektronisk meldingsutveksling med HER-id ${p.herId} har vært nede siden ${after.since ?? now.toISOString()}: ${reason}. Forventet varighet er ikke kjent ennå; vi gir beskjed om den når vi vet mer. Meldinger sendes manuelt inntil videre; vi sender friskmelding når trafikken går igjen.`,
      );
      await this.store.logDowntime({ partnerHerId: p.herId, kind: 'notice-sent', at: this.now(), actor: this.actor, details: { to: sent } });
    }
  }

  /**
   * Operator: a downtime notice with its expected duration (planned downtime, or an estimate for an
   * ongoing one) to our and each partner's meldingsansvarlig, one e-mail per partner, each logged
   * (`notice-sent`, with the announcement). Resolves the addresses per partner (empty when the
   * notice could not be sent: logged, never thrown).
   */
  async announce(partners: readonly string[], notice: DowntimeAnnouncement, actor: string): Promise<{ readonly herId: string; readonly to: readonly string[] }[]> {
    const fmt = new Intl.DateTimeFormat('nb-NO', { timeZone: 'Europe/Oslo', dateStyle: 'short', timeStyle: 'short' });
    const from = fmt.format(notice.from);
    const until = notice.expectedUntil === undefined ? 'ikke kjent ennå (vi gir beskjed)' : fmt.format(notice.expectedUntil);
    const subject = notice.planned ? 'Planlagt driftsavbrudd i elektronisk meldingsutveksling' : 'Driftsavbrudd i elektronisk meldingsutveksling: forventet varighet';
    const out: { herId: string; to: string[] }[] = [];
    for (const herId of partners) {
      const text = [
        `${notice.planned ? 'Planlagt driftsavbrudd' : 'Driftsavbrudd'} i elektronisk meldingsutveksling med HER-id ${herId}.`,
        `Fra: ${from} (norsk tid). Forventet gjenopprettet: ${until}.`,
        `Årsak: ${notice.reason}`,
        'Meldinger i perioden håndteres manuelt og dokumenteres på begge sider; vi sender friskmelding når trafikken går igjen.',
      ].join('\n');
      const to = await this.notifyBoth(herId, subject, text);
      await this.store.logDowntime({
        partnerHerId: herId,
        kind: 'notice-sent',
        at: this.now(),
        actor,
        details: { to, planned: notice.planned, from: notice.from.toISOString(), expectedUntil: notice.expectedUntil?.toISOString() ?? null, reason: notice.reason },
      });
      out.push({ herId, to });
    }
    return out;
  }

  /** Operator: manual mode on (hold outgoing messages) or off. */
  async setManual(herId: string, on: boolean, actor: string): Promise<void> {
    await this.change(herId, (p) => (p.manual === on ? undefined : { ...p, manual: on }));
    await this.store.logDowntime({ partnerHerId: herId, kind: on ? 'held' : 'note', at: this.now(), actor, details: { manual: on } });
  }

  /** Our meldingsansvarlig: configured, else from the address register. */
  async ownContact(): Promise<MessagingContact | undefined> {
    if (this.configuredContact !== undefined) return this.configuredContact;
    for (const her of this.ourHerIds) {
      const c = await this.contactOf(her);
      if (c !== undefined) return c;
    }
    return undefined;
  }

  /** A party's meldingsansvarlig from the address register. */
  async contactOf(herId: string): Promise<MessagingContact | undefined> {
    try {
      return (await this.ar.resolveReceiver(herId)).meldingsansvarlig;
    } catch {
      return undefined;
    }
  }

  private async notifyBoth(herId: string, subject: string, text: string): Promise<string[]> {
    const to = [await this.ownContact(), await this.contactOf(herId)].filter((c): c is MessagingContact => c !== undefined).map((c) => c.email);
    return this.notify([...new Set(to)], subject, text, herId);
  }

  /** Sends a notice; failures are logged, never thrown. Resolves the addresses it went to. */
  async notify(to: readonly string[], subject: string, text: string, herId: string): Promise<string[]> {
    if (to.length === 0) {
      this.logger.log('warn', 'notice-without-recipients', { herId, subject });
      return [];
    }
    try {
      await this.notifier.send({ to, subject, text });
      return [...to];
    } catch (err) {
      this.logger.log('error', 'notice-failed', { herId, subject, message: (err as Error).message });
      return [];
    }
  }
}
