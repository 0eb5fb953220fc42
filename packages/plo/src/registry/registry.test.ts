import { el } from '../xml/helpers';
import { MessageTypeRegistry } from './registry';
import type { MessageTypeDefinition } from './types';

function def(type: string, namespaces: string[], standard = 'X 1.0'): MessageTypeDefinition<{ n: number }> {
  return {
    type,
    displayName: `${type} name`,
    standard,
    namespaces,
    rootElement: 'Root',
    buildContent: (m, ctx) => el(ctx.namespace, 'Root', { n: String(m.n) }),
    parseContent: (root) => ({ n: Number(root.attrs.n) }),
  };
}

describe('MessageTypeRegistry', () => {
  it('registers, finds by type and namespace, lists and groups by namespace', () => {
    const r = new MessageTypeRegistry().register(def('B', ['urn:b2', 'urn:b1'], 'B 2')).register(def('A', ['urn:a']));
    r.register(def('B', ['urn:b0'], 'B 0'));
    expect(r.has('A')).toBe(true);
    expect(r.has('C')).toBe(false);
    expect(r.get('B')?.namespaces).toEqual(['urn:b2', 'urn:b1']);
    expect(r.get('B', 'urn:b0')?.standard).toBe('B 0');
    expect(r.get('B', 'urn:zz')).toBeUndefined();
    expect(r.get('C')).toBeUndefined();
    expect(r.list()).toEqual([
      { type: 'A', displayName: 'A name', standards: ['X 1.0'], namespaces: ['urn:a'] },
      { type: 'B', displayName: 'B name', standards: ['B 2', 'B 0'], namespaces: ['urn:b2', 'urn:b1', 'urn:b0'] },
    ]);
    r.register(def('C', ['urn:a']));
    expect(r.byNamespace('urn:a').map((d) => d.type)).toEqual(['A', 'C']);
  });

  it('refuses the same type and namespace twice', () => {
    const r = new MessageTypeRegistry([def('A', ['urn:a'])]);
    expect(() => r.register(def('A', ['urn:x', 'urn:a']))).toThrow(TypeError);
    expect(r.get('A', 'urn:x')).toBeUndefined();
  });

  it('refuses malformed definitions', () => {
    const r = new MessageTypeRegistry();
    expect(() => r.register(def('', ['urn:a']))).toThrow(TypeError);
    expect(() => r.register(def('A', []))).toThrow(TypeError);
    expect(() => r.register(def('A', ['urn:a', 'urn:a']))).toThrow(TypeError);
    expect(() => r.register({ ...def('A', ['urn:a']), parseContent: undefined } as unknown as MessageTypeDefinition)).toThrow(TypeError);
  });
});
