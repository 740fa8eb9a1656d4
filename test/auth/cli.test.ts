import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { Command } from 'commander';
import { hashApiKey } from '../../src/auth/api-key.format';
import { registerApiKeyCommands } from '../../src/cli/api-key.command';
import { startTestApp, type TestApp } from '../support/app';

const ROOT = path.resolve(__dirname, '..', '..');

describe('api-key CLI commands', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ API_KEY_CACHE_TTL_SECONDS: '0' });
  });
  afterAll(async () => {
    await t.close();
  });

  /** Runs one command in-process against the test database, as `npm run cli -- ...` would. */
  async function cli(...args: string[]): Promise<{ out: string; err: string }> {
    let out = '';
    let err = '';
    const program = new Command('momo-gateway')
      .exitOverride()
      .configureOutput({ writeOut: (s) => (out += s), writeErr: (s) => (err += s) });
    registerApiKeyCommands(program, {
      env: { DATABASE_URL: t.db.url },
      out: (s) => (out += s),
      err: (s) => (err += s),
    });
    await program.parseAsync(['node', 'cli', ...args]);
    return { out, err };
  }

  const list = (apiKey: string) => t.request('GET', '/v1/collections', undefined, {}, { apiKey });

  it('creates a key, printing only the key on stdout and the warning on stderr', async () => {
    const { out, err } = await cli(
      'api-key:create',
      '--name',
      'billing',
      '--scopes',
      'collection:write,collection:read',
      '--rate-limit',
      '600',
    );
    expect(out).toMatch(/^mgw_[a-z0-9]{8}_[A-Za-z0-9_-]{43}\n$/);
    expect(err).toContain('Created API key "billing"');
    expect(err).toContain('scopes collection:read,collection:write, 600 requests/min');
    expect(err).toMatch(/only time the key is shown/);
    const key = out.trim();
    expect((await list(key)).status).toBe(200);
    expect(
      (await t.request('GET', '/v1/disbursements', undefined, {}, { apiKey: key })).status,
    ).toBe(403);
  });

  it('lists keys by name, prefix and scopes, never the key or its hash', async () => {
    const key = (await cli('api-key:create', '--name', 'reports', '--scopes', 'all')).out.trim();
    const { out } = await cli('api-key:list');
    expect(out).toMatch(/^NAME +PREFIX +SCOPES +LIMIT\/MIN +CREATED +LAST USED +STATUS/);
    expect(out).toMatch(/\nreports +mgw_[a-z0-9]{8} +all +default +\S+ +never +active/);
    expect(out).toMatch(/\nbilling +mgw_[a-z0-9]{8} +collection:read,collection:write +600 /);
    expect(out).toContain(key.slice(0, 12));
    expect(out).not.toContain(key);
    expect(out).not.toContain(hashApiKey(key));
    const json = JSON.parse((await cli('api-key:list', '--json')).out) as Array<
      Record<string, unknown>
    >;
    expect(json.find((k) => k.name === 'reports')).toMatchObject({
      prefix: key.slice(0, 12),
      rateLimitPerMinute: null,
      revokedAt: null,
    });
    expect(JSON.stringify(json)).not.toContain(hashApiKey(key));
  });

  it('revokes by name, after which the key is refused; revoking again says so', async () => {
    const key = (
      await cli('api-key:create', '--name', 'to-revoke', '--scopes', 'collection:read')
    ).out.trim();
    expect((await list(key)).status).toBe(200);
    expect((await cli('api-key:revoke', '--name', 'to-revoke')).out).toContain(
      'Revoked API key "to-revoke"',
    );
    expect((await list(key)).status).toBe(401);
    expect((await cli('api-key:revoke', '--name', 'to-revoke')).out).toContain(
      'was already revoked',
    );
    expect((await cli('api-key:list')).out).toMatch(/\nto-revoke .* revoked \d{4}-/);
  });

  it('revokes by id', async () => {
    const key = (
      await cli('api-key:create', '--name', 'by-id', '--scopes', 'collection:read')
    ).out.trim();
    const json = JSON.parse((await cli('api-key:list', '--json')).out) as Array<{
      id: string;
      name: string;
    }>;
    await cli('api-key:revoke', '--id', json.find((k) => k.name === 'by-id')!.id);
    expect((await list(key)).status).toBe(401);
  });

  it('refuses an unknown scope, a taken name, a bad limit, and revoking what does not exist', async () => {
    await expect(
      cli('api-key:create', '--name', 'typo', '--scopes', 'collection:reed'),
    ).rejects.toThrow(/Unknown scope\(s\): collection:reed/);
    await expect(
      cli('api-key:create', '--name', 'billing', '--scopes', 'collection:read'),
    ).rejects.toThrow(/already exists/);
    await expect(
      cli('api-key:create', '--name', 'x', '--scopes', 'all', '--rate-limit', '0'),
    ).rejects.toMatchObject({ code: 'commander.invalidArgument' });
    await expect(
      cli('api-key:create', '--name', 'bad name!', '--scopes', 'all'),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(cli('api-key:revoke', '--name', 'nobody')).rejects.toThrow(
      /No API key named "nobody"/,
    );
    await expect(cli('api-key:revoke')).rejects.toMatchObject({ code: 'commander.error' });
  });

  describe('api-key:update', () => {
    const disbursements = (apiKey: string) =>
      t.request('GET', '/v1/disbursements', undefined, {}, { apiKey });
    const listed = async (name: string) =>
      (
        JSON.parse((await cli('api-key:list', '--json')).out) as Array<{
          id: string;
          name: string;
          scopes: string[];
          rateLimitPerMinute: number | null;
        }>
      ).find((k) => k.name === name);

    it('adds scopes; a request with the key has them once the key cache expires (TTL 0 here)', async () => {
      const key = (
        await cli('api-key:create', '--name', 'upd-add', '--scopes', 'collection:read')
      ).out.trim();
      expect((await disbursements(key)).status).toBe(403);
      const { out } = await cli(
        'api-key:update',
        '--name',
        'upd-add',
        '--add-scopes',
        'disbursement:read,collection:read',
      );
      expect(out).toContain('Updated API key "upd-add" (mgw_');
      expect(out).toContain('scopes collection:read -> collection:read,disbursement:read');
      expect(out).toContain('API_KEY_CACHE_TTL_SECONDS');
      expect((await disbursements(key)).status).toBe(200);
      expect((await list(key)).status).toBe(200);
    });

    it('removes scopes and replaces them ("all" allowed), by name or by id', async () => {
      const key = (
        await cli(
          'api-key:create',
          '--name',
          'upd-scopes',
          '--scopes',
          'collection:read,disbursement:read',
        )
      ).out.trim();
      await cli('api-key:update', '--name', 'upd-scopes', '--remove-scopes', 'disbursement:read');
      expect((await disbursements(key)).status).toBe(403);
      expect((await list(key)).status).toBe(200);
      const id = (await listed('upd-scopes'))!.id;
      await cli('api-key:update', '--id', id, '--scopes', 'disbursement:read');
      expect((await listed('upd-scopes'))?.scopes).toEqual(['disbursement:read']);
      expect((await list(key)).status).toBe(403);
      expect((await disbursements(key)).status).toBe(200);
      await cli('api-key:update', '--name', 'upd-scopes', '--scopes', 'all');
      expect((await cli('api-key:list')).out).toMatch(/\nupd-scopes +mgw_[a-z0-9]{8} +all +/);
      expect(
        (await cli('api-key:update', '--name', 'upd-scopes', '--add-scopes', 'metrics:read')).out,
      ).toContain('unchanged');
    });

    it('changes the rate limit and resets it to the default', async () => {
      const key = (
        await cli('api-key:create', '--name', 'upd-limit', '--scopes', 'collection:read')
      ).out.trim();
      const { out } = await cli('api-key:update', '--name', 'upd-limit', '--rate-limit', '900');
      expect(out).toContain(
        'scopes collection:read (unchanged), default rate limit -> 900 requests/min.',
      );
      expect((await list(key)).headers.get('x-ratelimit-limit')).toBe('900');
      expect((await listed('upd-limit'))?.rateLimitPerMinute).toBe(900);
      expect(
        (await cli('api-key:update', '--name', 'upd-limit', '--default-rate-limit')).out,
      ).toContain('900 requests/min -> default rate limit');
      expect((await list(key)).headers.get('x-ratelimit-limit')).toBe(
        String(t.config.auth.defaultRateLimitPerMinute),
      );
      expect((await listed('upd-limit'))?.scopes).toEqual(['collection:read']);
    });

    it('refuses an unknown or revoked key, a bad scope or limit, clashing options, and nothing to change', async () => {
      await cli('api-key:create', '--name', 'upd-revoked', '--scopes', 'collection:read');
      await cli('api-key:revoke', '--name', 'upd-revoked');
      await expect(
        cli('api-key:update', '--name', 'upd-revoked', '--add-scopes', 'notifications:read'),
      ).rejects.toMatchObject({
        code: 'NOT_ALLOWED',
        message: expect.stringMatching(/revoked key cannot be updated/),
      });
      expect((await listed('upd-revoked'))?.scopes).toEqual(['collection:read']);
      await expect(cli('api-key:update', '--name', 'nobody', '--scopes', 'all')).rejects.toThrow(
        /No API key named "nobody"/,
      );
      await expect(cli('api-key:update', '--id', 'not-a-uuid', '--scopes', 'all')).rejects.toThrow(
        /No API key with id not-a-uuid/,
      );
      await cli('api-key:create', '--name', 'upd-bad', '--scopes', 'collection:read');
      await expect(
        cli('api-key:update', '--name', 'upd-bad', '--add-scopes', 'collection:reed'),
      ).rejects.toThrow(/Unknown scope\(s\): collection:reed/);
      await expect(
        cli('api-key:update', '--name', 'upd-bad', '--remove-scopes', 'collection:read'),
      ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
      await expect(
        cli('api-key:update', '--name', 'upd-bad', '--rate-limit', '0'),
      ).rejects.toMatchObject({ code: 'commander.invalidArgument' });
      for (const args of [
        ['--name', 'upd-bad'],
        ['--scopes', 'all'],
        ['--name', 'upd-bad', '--scopes', 'all', '--add-scopes', 'metrics:read'],
        ['--name', 'upd-bad', '--rate-limit', '10', '--default-rate-limit'],
      ]) {
        await expect(cli('api-key:update', ...args)).rejects.toMatchObject({
          code: 'commander.error',
        });
      }
      expect(await listed('upd-bad')).toMatchObject({
        scopes: ['collection:read'],
        rateLimitPerMinute: null,
      });
    });
  });

  it('is registered in the CLI: `npm run cli -- api-key:list` runs end to end', async () => {
    const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>(
      (resolve, reject) => {
        const child = spawn(
          process.execPath,
          ['-r', 'ts-node/register/transpile-only', 'src/cli/main.ts', 'api-key:list'],
          {
            cwd: ROOT,
            env: { ...process.env, DATABASE_URL: t.db.url },
          },
        );
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
        child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/\nbilling +mgw_/);
  });
});
