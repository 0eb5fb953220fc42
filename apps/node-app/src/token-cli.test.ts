import { authenticateToken, parseTokenFile } from './auth';
import { runTokenCli } from './token-cli';

test('token create prints a token and a token-file line that authenticates it', () => {
  let out = '';
  expect(runTokenCli(['token', 'create', '--id', 'epj-1', '--role', 'epj-system'], (s) => (out += s), () => undefined)).toBe(0);
  const token = /token: (\S+)/.exec(out)?.[1] ?? '';
  const line = /token-file line: (.+)/.exec(out)?.[1] ?? '';
  expect(line).toMatch(/^epj-1 epj-system sha256:[0-9a-f]{64}$/);
  expect(line).not.toContain(token);
  expect(authenticateToken(parseTokenFile(line), token)).toEqual({ clientId: 'epj-1', role: 'epj-system' });
  expect(authenticateToken(parseTokenFile(line), `${token}x`)).toBeUndefined();
});

test('a bad role or command is a usage error', () => {
  let err = '';
  expect(runTokenCli(['token', 'create', '--role', 'admin'], () => undefined, (s) => (err += s))).toBe(2);
  expect(err).toContain('--role must be one of');
  expect(runTokenCli(['token', 'delete'], () => undefined, () => undefined)).toBe(2);
});

test('the token file reports bad lines by number', () => {
  expect(() => parseTokenFile('# c\na operator sha256:zz\nb boss sha256:' + '0'.repeat(64))).toThrow(/line 2: hash must be.*line 3: role must be/);
});
