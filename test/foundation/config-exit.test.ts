import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

describe('start-up with a bad configuration', () => {
  it('stops with exit code 1 and one line naming the variable', () => {
    const run = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, PORT: 'not-a-port', DATABASE_URL: 'postgres://u:p@127.0.0.1:1/x' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.status).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Invalid configuration: PORT: /);
  });
});
