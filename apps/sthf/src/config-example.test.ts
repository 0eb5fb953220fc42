import path from 'node:path';
import { loadConfig } from '@samhandling/node-app';

test('config.example.yaml is a valid sthf configuration', () => {
  const config = loadConfig(path.join(__dirname, '..', 'config.example.yaml'));
  expect(config.role).toBe('sthf');
  expect(config.partners.length).toBeGreaterThan(0);
  expect(config.credentials.signing.privateKey).toHaveProperty('file');
  expect(config.addressRegisterFile).toBe(path.join(__dirname, '..', 'address-register.json'));
});
