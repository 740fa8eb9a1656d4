import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

function start(env: Record<string, string>) {
  return spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, DATABASE_URL: 'postgres://u:p@127.0.0.1:1/x', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
}

describe('start-up with a bad configuration', () => {
  it('stops with exit code 1 and one line naming the variable', () => {
    const run = start({ PORT: 'not-a-port' });
    expect(run.status).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Invalid configuration: PORT: /);
  });

  it('stops on a malformed NOTIFICATIONS_ALLOWED_HOSTS pattern, naming the variable and the pattern', () => {
    const run = start({ NOTIFICATIONS_ALLOWED_HOSTS: 'billing.internal,a*b' });
    expect(run.status).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Invalid configuration: NOTIFICATIONS_ALLOWED_HOSTS: "a\*b": /);
  });
});
