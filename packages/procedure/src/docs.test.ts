import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { renderProtocolPage } from './docs';
import { HOSPITAL_STAY_DEFINITION, machineInfo } from './definition';
import { POLICY_OPTIONS } from './policy';

const protocols = path.resolve(__dirname, '../../../docs/protocols');

describe('docs/protocols', () => {
  it('hospital-stay.md is the page generated from the definition (regenerate: node tools/scripts/gen-procedure-docs.mjs)', () => {
    const committed = readFileSync(path.join(protocols, 'hospital-stay.md'), 'utf8');
    expect(committed).toBe(renderProtocolPage());
  });

  it('the page names the version, the hash, every state and every deadline', () => {
    const page = renderProtocolPage();
    expect(page).toContain(machineInfo().hash);
    expect(page).toContain('```mermaid\nstateDiagram-v2');
    for (const state of Object.keys(HOSPITAL_STAY_DEFINITION.states)) expect(page).toContain(`| \`${state}\` |`);
    for (const d of HOSPITAL_STAY_DEFINITION.deadlines) expect(page).toContain(`| \`${d.rule}\` |`);
  });

  it('the policy page documents every policy option', () => {
    const file = path.join(protocols, 'hospital-stay-policy.md');
    expect(existsSync(file)).toBe(true);
    const page = readFileSync(file, 'utf8');
    for (const option of POLICY_OPTIONS) expect(page).toContain(`\`${option}\``);
  });
});
