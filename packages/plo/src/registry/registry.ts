import type { MessageTypeDefinition } from './types';

/** One registered message type as {@link MessageTypeRegistry.list} reports it. */
export interface RegisteredMessageType {
  /** MsgInfo/Type V (8279). */
  readonly type: string;
  readonly displayName: string;
  /** Standards and versions registered for the type, e.g. `['PLO 1.6', 'PLO 1.5']`. */
  readonly standards: readonly string[];
  /** Every content namespace accepted for the type, in registration order. */
  readonly namespaces: readonly string[];
}

/**
 * Message types by MsgInfo/Type (8279) and content namespace. Adding a newly approved type or
 * version means registering a definition; nothing in the core changes. A type may have several
 * definitions (one per version); a (type, namespace) pair can be registered once.
 */
export class MessageTypeRegistry {
  readonly #byType = new Map<string, MessageTypeDefinition[]>();

  /** Create a registry holding `definitions`. */
  constructor(definitions: readonly MessageTypeDefinition<unknown>[] = []) {
    for (const d of definitions) this.register(d);
  }

  /**
   * Register a definition. Throws `TypeError` for a malformed definition or when one of its
   * namespaces is already registered for the same type.
   */
  register<T>(definition: MessageTypeDefinition<T>): this {
    const d = definition as unknown as MessageTypeDefinition;
    if (typeof d?.type !== 'string' || d.type === '') throw new TypeError('definition.type must be a non-empty string');
    if (!Array.isArray(d.namespaces) || d.namespaces.length === 0) throw new TypeError(`definition for ${d.type} needs at least one namespace`);
    if (typeof d.buildContent !== 'function' || typeof d.parseContent !== 'function') {
      throw new TypeError(`definition for ${d.type} needs buildContent and parseContent`);
    }
    const existing = this.#byType.get(d.type) ?? [];
    for (const ns of d.namespaces) {
      if (existing.some((e) => e.namespaces.includes(ns))) throw new TypeError(`${d.type} is already registered for namespace ${ns}`);
    }
    if (new Set(d.namespaces).size !== d.namespaces.length) throw new TypeError(`definition for ${d.type} lists a namespace twice`);
    this.#byType.set(d.type, [...existing, d]);
    return this;
  }

  /**
   * The definition for `type`; with `namespace`, the one that accepts that content namespace.
   * Without a namespace, the first registered definition (its first namespace is built by default).
   */
  get(type: string, namespace?: string): MessageTypeDefinition | undefined {
    const defs = this.#byType.get(type);
    if (defs === undefined) return undefined;
    if (namespace === undefined) return defs[0];
    return defs.find((d) => d.namespaces.includes(namespace));
  }

  /** True when `type` has at least one definition. */
  has(type: string): boolean {
    return this.#byType.has(type);
  }

  /** Every registered type with its standards and namespaces, sorted by type. */
  list(): RegisteredMessageType[] {
    return [...this.#byType.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([type, defs]) => ({
        type,
        displayName: defs[0]?.displayName ?? type,
        standards: [...new Set(defs.map((d) => d.standard))],
        namespaces: defs.flatMap((d) => d.namespaces),
      }));
  }

  /** Every definition that accepts content namespace `ns` (several types may share one). */
  byNamespace(ns: string): MessageTypeDefinition[] {
    const out: MessageTypeDefinition[] = [];
    for (const defs of this.#byType.values()) for (const d of defs) if (d.namespaces.includes(ns)) out.push(d);
    return out;
  }
}
