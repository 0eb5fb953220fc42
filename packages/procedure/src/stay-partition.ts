/**
 * Which hospital stay a message belongs to (ADR 0014). Both parties must put every message of a
 * patient at one hospital into the same stay, whatever order the messages arrive or are processed
 * in. {@link partitionStays} is therefore a pure function of the SET of messages: it sorts them by
 * their own time (MsgInfo/GenDate) then MsgId and walks them once:
 *
 * 1. A message that refers to an earlier message of the set (Forsendelsesstatus C/M/O `refersTo`,
 *    MsgHead ConversationRef) joins that message's stay.
 * 2. LOG_INNLAGT (the hospital's admission) opens a new stay, unless the latest stay is still open
 *    and has no LOG_INNLAGT yet (an Innleggelsesrapport or § 8 notice sent before it): then it
 *    becomes that stay's admission.
 * 3. Any other message joins the latest stay while it is open, and within
 *    `attachAfterDischargeHours` after its discharge (LOG_UTSKREVET) or death (LOG_DOD).
 * 4. Otherwise INNLEGGELSESRAPPORT, HELSEOPPL_SOKNAD and LOG_UTSKRIVNINGSKLAR open a new stay
 *    (without a LOG_INNLAGT); other messages belong to no stay.
 *
 * A stay's admission reference is the MsgId of its LOG_INNLAGT, else of its first message. When
 * a message arrives late (e.g. a LOG_INNLAGT after an Innleggelsesrapport that opened the stay),
 * the partition of the grown set may differ from the earlier one: callers recompute it on every
 * message and move messages between stays; the result for a given set never depends on order.
 */
import type { Forsendelsesstatus } from './events';

/** One message as the partition sees it. */
export interface PartitionMessage {
  /** MsgId. */
  readonly id: string;
  /** MsgInfo/GenDate (ISO 8601 with offset): orders the messages. */
  readonly at: string;
  /** MsgInfo/Type (Volven 8279); any type, also ones the procedure does not follow. */
  readonly type: string;
  /** Forsendelsesstatus; default N. */
  readonly status?: Forsendelsesstatus;
  /** MsgIds this message refers to: `refersTo` of a change or cancel, ConversationRef parent and conversation. */
  readonly refs?: readonly string[];
}

/** Options of {@link partitionStays}. */
export interface StayPartitionPolicy {
  /**
   * How long after discharge or death (by the discharging message's GenDate) further messages
   * still join the stay, in hours. Default 168 (7 days). A message later than that opens a new
   * stay when its type may open one, else it belongs to no stay.
   */
  readonly attachAfterDischargeHours: number;
}

/** Default {@link StayPartitionPolicy}. */
export const DEFAULT_STAY_PARTITION_POLICY: StayPartitionPolicy = { attachAfterDischargeHours: 168 };

/** One stay of the partition. */
export interface PartitionedStay {
  /** The admission reference: the MsgId of the stay's LOG_INNLAGT, else of its first message. */
  readonly admission: string;
  /** The stay's LOG_INNLAGT, when it has one. */
  readonly innlagt?: string;
  /** The stay's messages, sorted by time then id. */
  readonly messageIds: readonly string[];
  /** GenDate (ISO UTC) of the first surviving LOG_UTSKREVET / LOG_DOD; `null` while open. */
  readonly closedAt: string | null;
}

/** Result of {@link partitionStays}. */
export interface StayPartition {
  /** The stays in time order. */
  readonly stays: readonly PartitionedStay[];
  /** Messages that belong to no stay (no open stay and a type that cannot open one). */
  readonly unassigned: readonly string[];
}

/** Types that may open a stay without a LOG_INNLAGT. */
export const STAY_OPENING_TYPES: readonly string[] = ['INNLEGGELSESRAPPORT', 'HELSEOPPL_SOKNAD', 'LOG_UTSKRIVNINGSKLAR'];
const CLOSING = new Set(['LOG_UTSKREVET', 'LOG_DOD']);

interface Group {
  readonly ids: string[];
  readonly messages: PartitionMessage[];
  innlagt?: string;
}

function ms(iso: string): number {
  const v = Date.parse(iso);
  if (Number.isNaN(v)) throw new RangeError(`partitionStays: ${iso} is not a date-time`);
  return v;
}

/** The closing time of a group at this point of the walk: its first discharge or death not cancelled. */
function closedAt(g: Group): number | null {
  const cancelled = new Set(g.messages.filter((m) => m.status === 'C').flatMap((m) => m.refs ?? []));
  let best: number | null = null;
  for (const m of g.messages) {
    if (!CLOSING.has(m.type) || m.status === 'C' || cancelled.has(m.id)) continue;
    const t = ms(m.at);
    if (best === null || t < best) best = t;
  }
  return best;
}

/**
 * Partitions one patient's messages at one hospital into stays (see the module comment for the
 * rule). Pure and independent of the input order; duplicate ids are taken once.
 *
 * @throws RangeError when a message's `at` is not a date-time or the policy is invalid.
 */
export function partitionStays(messages: readonly PartitionMessage[], policy: Partial<StayPartitionPolicy> = {}): StayPartition {
  const hours = policy.attachAfterDischargeHours ?? DEFAULT_STAY_PARTITION_POLICY.attachAfterDischargeHours;
  if (!Number.isFinite(hours) || hours < 0) throw new RangeError('attachAfterDischargeHours must be a non-negative number');
  const windowMs = hours * 3_600_000;
  const unique = new Map<string, PartitionMessage>();
  for (const m of messages) if (!unique.has(m.id)) unique.set(m.id, m);
  const sorted = [...unique.values()]
    .map((m) => ({ m, t: ms(m.at) }))
    .sort((a, b) => a.t - b.t || (a.m.id < b.m.id ? -1 : a.m.id > b.m.id ? 1 : 0));
  const groups: Group[] = [];
  const of = new Map<string, Group>();
  const unassigned: string[] = [];
  const join = (g: Group, m: PartitionMessage): void => {
    g.ids.push(m.id);
    g.messages.push(m);
    of.set(m.id, g);
  };
  const open = (m: PartitionMessage): void => {
    const g: Group = { ids: [], messages: [] };
    groups.push(g);
    join(g, m);
  };
  for (const { m, t } of sorted) {
    const referred = (m.refs ?? []).map((r) => of.get(r)).find((g) => g !== undefined);
    if (referred !== undefined) {
      join(referred, m);
      if (m.type === 'LOG_INNLAGT' && referred.innlagt === undefined && m.status !== 'C') referred.innlagt = m.id;
      continue;
    }
    const latest = groups[groups.length - 1];
    const closed = latest === undefined ? null : closedAt(latest);
    if (m.type === 'LOG_INNLAGT' && m.status !== 'C') {
      if (latest !== undefined && latest.innlagt === undefined && (closed === null || t <= closed)) {
        join(latest, m);
        latest.innlagt = m.id;
      } else {
        open(m);
        (groups[groups.length - 1] as Group).innlagt = m.id;
      }
      continue;
    }
    if (latest !== undefined && (closed === null || t <= closed + windowMs)) join(latest, m);
    else if (STAY_OPENING_TYPES.includes(m.type) && m.status !== 'C') open(m);
    else unassigned.push(m.id);
  }
  return {
    stays: groups.map((g) => {
      const c = closedAt(g);
      return {
        admission: g.innlagt ?? (g.ids[0] as string),
        ...(g.innlagt === undefined ? {} : { innlagt: g.innlagt }),
        messageIds: [...g.ids],
        closedAt: c === null ? null : new Date(c).toISOString(),
      };
    }),
    unassigned,
  };
}
