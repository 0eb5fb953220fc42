import { getCodeList, isElement, isKnownCode, systemFromOid } from '@samhandling/plo';
import { makeIssue } from '../issues';
import type { Issue } from '../issues';
import type { XmlElement } from '@samhandling/plo';
import type { Rule } from './context';

/**
 * Coded values (`V` with `S` = 2.16.578.1.12.4.1.1.<n>) must be in their code list, checked only
 * for lists bundled with @samhandling/plo; codes of other lists are not judged.
 */
export const codesRule: Rule = (ctx) => {
  const issues: Issue[] = [];
  if (ctx.codes !== undefined) {
    // Scoped tree: the native engine listed the coded elements that may be outside their list, in
    // document order (the order of the walk below).
    for (const [value, oid, line, xpath] of ctx.codes) {
      const system = systemFromOid(oid.trim());
      if (system === undefined || getCodeList(system) === undefined) continue;
      if (!isKnownCode(system, value.trim())) {
        issues.push(makeIssue('ERR_SCHEMA_UNKNOWN_CODE', `Code "${value.slice(0, 40)}" is not in code list ${system}`, { line, xpath }));
      }
    }
    return issues;
  }
  // Iterative pre-order walk (document order) without paths; a path is computed only for an
  // offending element.
  const stack: XmlElement[] = [ctx.root];
  while (stack.length > 0) {
    const element = stack.pop() as XmlElement;
    for (let i = element.children.length - 1; i >= 0; i--) {
      const child = element.children[i];
      if (child !== undefined && isElement(child)) stack.push(child);
    }
    const value = element.attrs['V'];
    const oid = element.attrs['S'];
    if (value === undefined || oid === undefined) continue;
    const system = systemFromOid(oid.trim());
    if (system === undefined || getCodeList(system) === undefined) continue;
    if (!isKnownCode(system, value.trim())) {
      issues.push(
        makeIssue('ERR_SCHEMA_UNKNOWN_CODE', `Code "${value.slice(0, 40)}" is not in code list ${system}`, {
          line: element.line,
          xpath: ctx.locator.pathOf(element),
        }),
      );
    }
  }
  return issues;
};
