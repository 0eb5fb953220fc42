/** Types for stay-chain.mjs (the demonstration's message chain, shared with tests). */
import type { BuildMessageInput, Person } from '@samhandling/plo';

export declare const patient: Person;
export declare const stayChain: readonly (readonly [at: string, route: string, input: Record<string, unknown>])[];
export declare function forEachStayMessage(
  build: (message: { at: string; route: string; input: BuildMessageInput<unknown> & { genDate: string } }) => string,
): string[];
