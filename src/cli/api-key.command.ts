import { Client } from 'pg';
import { InvalidArgumentError, type Command } from 'commander';
import { withApiKeyStore } from '../auth/api-key.database';
import { API_KEY_SCOPES, parseScopes } from '../auth/api-key.scopes';
import type {
  ApiKeyScopeChange,
  ApiKeyStore,
  ApiKeySummary,
  UpdateApiKeyInput,
} from '../auth/api-key.store';
import { EMBEDDED_DATABASE_NAME } from '../bootstrap/embedded-defaults';
import { loadConfig, loadDotEnvFile, type AppConfig } from '../config/app-config';
import { EmbeddedPostgres } from '../database/embedded-postgres';
import { runMigrations } from '../database/migrate';

/** Where the commands read the environment and write; the process's own by default (tests swap it). */
export interface ApiKeyCliIo {
  env: NodeJS.ProcessEnv;
  /** Machine-usable output (the key itself, listings). */
  out(text: string): void;
  /** What a person reads: notes and warnings. */
  err(text: string): void;
}

const processIo: ApiKeyCliIo = {
  env: process.env,
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/**
 * `api-key:create`, `api-key:update`, `api-key:revoke`, `api-key:list`: REST consumers' keys (docs/auth.md). They
 * use DATABASE_URL; without it, `npm start`'s embedded PostgreSQL (started for the command and
 * stopped after it, or the one a running `npm start` already serves).
 */
export function registerApiKeyCommands(program: Command, io: ApiKeyCliIo = processIo): void {
  program
    .command('api-key:create')
    .description('Create an API key and print it once (only its hash is stored)')
    .requiredOption('--name <name>', 'unique name of the consumer, e.g. billing (never reused)')
    .requiredOption(
      '--scopes <list>',
      'comma-separated, e.g. collection:read,collection:write; "all" for every scope',
    )
    .option(
      '--rate-limit <perMinute>',
      'requests per minute for this key (default: API_KEY_RATE_LIMIT_PER_MINUTE)',
      parsePositiveInt,
    )
    .action(async (opts: { name: string; scopes: string; rateLimit?: number }) => {
      const scopes = parseScopes(opts.scopes);
      await withStore(io, async (store) => {
        const created = await store.create({
          name: opts.name,
          scopes,
          rateLimitPerMinute: opts.rateLimit ?? null,
        });
        const s = created.summary;
        io.err(
          `Created API key "${s.name}" (id ${s.id}, ${s.prefix}, scopes ${s.scopes.join(',')}, ${limitText(s)}).\n` +
            'WARNING: this is the only time the key is shown; it cannot be recovered. Store it now.\n',
        );
        io.out(`${created.key}\n`);
      });
    });

  program
    .command('api-key:update')
    .description(
      "Change a live key's scopes and/or rate limit (in effect within API_KEY_CACHE_TTL_SECONDS on every replica)",
    )
    .option('--name <name>', 'the key to update, by name')
    .option('--id <id>', 'the key to update, by id')
    .option('--scopes <list>', 'replace the scopes: comma-separated; "all" for every scope')
    .option('--add-scopes <list>', 'add these scopes (comma-separated; "all" for every scope)')
    .option('--remove-scopes <list>', 'remove these scopes (comma-separated)')
    .option('--rate-limit <perMinute>', "the key's own requests per minute", parsePositiveInt)
    .option('--default-rate-limit', 'use API_KEY_RATE_LIMIT_PER_MINUTE again')
    .action(async (opts: UpdateOptions, command: Command) => {
      if ((opts.name === undefined) === (opts.id === undefined))
        command.error('give exactly one of --name or --id');
      const scopeOptions = [opts.scopes, opts.addScopes, opts.removeScopes].filter(
        (o) => o !== undefined,
      );
      if (scopeOptions.length > 1)
        command.error('give at most one of --scopes, --add-scopes or --remove-scopes');
      if (opts.rateLimit !== undefined && opts.defaultRateLimit)
        command.error('give at most one of --rate-limit or --default-rate-limit');
      if (scopeOptions.length === 0 && opts.rateLimit === undefined && !opts.defaultRateLimit) {
        command.error(
          'nothing to change: give --scopes, --add-scopes or --remove-scopes, and/or --rate-limit or --default-rate-limit',
        );
      }
      const selector = opts.id !== undefined ? { id: opts.id } : { name: opts.name ?? '' };
      const input: UpdateApiKeyInput = {
        scopes: scopeChange(opts),
        rateLimitPerMinute: opts.defaultRateLimit ? null : opts.rateLimit,
      };
      await withStore(io, async (store) => {
        const { before, summary: s, changed } = await store.update(selector, input);
        io.out(
          changed
            ? `Updated API key "${s.name}" (${s.prefix}): scopes ${change(scopesText(before), scopesText(s))}, ` +
                `${change(limitText(before), limitText(s))}. Every replica applies it within its key cache time (API_KEY_CACHE_TTL_SECONDS).\n`
            : `API key "${s.name}" (${s.prefix}) unchanged: it already has scopes ${scopesText(s)}, ${limitText(s)}\n`,
        );
      });
    });

  program
    .command('api-key:revoke')
    .description('Revoke an API key (refused within API_KEY_CACHE_TTL_SECONDS on every replica)')
    .option('--name <name>', 'the key to revoke, by name')
    .option('--id <id>', 'the key to revoke, by id')
    .action(async (opts: { name?: string; id?: string }, command: Command) => {
      if ((opts.name === undefined) === (opts.id === undefined))
        command.error('give exactly one of --name or --id');
      const selector = opts.id !== undefined ? { id: opts.id } : { name: opts.name ?? '' };
      await withStore(io, async (store) => {
        const { summary, alreadyRevoked } = await store.revoke(selector);
        io.out(
          alreadyRevoked
            ? `API key "${summary.name}" (${summary.prefix}) was already revoked at ${summary.revokedAt?.toISOString()}\n`
            : `Revoked API key "${summary.name}" (${summary.prefix}); replicas refuse it within their key cache time\n`,
        );
      });
    });

  program
    .command('api-key:list')
    .description('List API keys (names, prefixes, scopes; never keys or hashes)')
    .option('--json', 'one JSON array instead of a table')
    .action(async (opts: { json?: boolean }) => {
      await withStore(io, async (store) => {
        const keys = await store.list();
        io.out(opts.json ? `${JSON.stringify(keys, null, 2)}\n` : table(keys));
      });
    });
}

interface UpdateOptions {
  name?: string;
  id?: string;
  scopes?: string;
  addScopes?: string;
  removeScopes?: string;
  rateLimit?: number;
  defaultRateLimit?: boolean;
}

function scopeChange(opts: UpdateOptions): ApiKeyScopeChange | undefined {
  if (opts.scopes !== undefined) return { set: parseScopes(opts.scopes) };
  if (opts.addScopes !== undefined) return { add: parseScopes(opts.addScopes) };
  if (opts.removeScopes !== undefined) return { remove: parseScopes(opts.removeScopes) };
  return undefined;
}

function change(before: string, after: string): string {
  return before === after ? `${after} (unchanged)` : `${before} -> ${after}`;
}

function scopesText(s: ApiKeySummary): string {
  return s.scopes.join(',') || '(none)';
}

function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1)
    throw new InvalidArgumentError('a whole number of requests per minute is expected');
  return n;
}

function limitText(s: ApiKeySummary): string {
  return s.rateLimitPerMinute === null
    ? 'default rate limit'
    : `${s.rateLimitPerMinute} requests/min`;
}

function table(keys: ApiKeySummary[]): string {
  if (keys.length === 0)
    return 'No API keys. Create one with `npm run cli -- api-key:create --name <name> --scopes <list>`.\n';
  const rows = [
    ['NAME', 'PREFIX', 'SCOPES', 'LIMIT/MIN', 'CREATED', 'LAST USED', 'STATUS'],
    ...keys.map((k) => [
      k.name,
      k.prefix,
      k.scopes.length === API_KEY_SCOPES.length ? 'all' : k.scopes.join(','),
      k.rateLimitPerMinute === null ? 'default' : String(k.rateLimitPerMinute),
      k.createdAt.toISOString(),
      k.lastUsedAt ? k.lastUsedAt.toISOString() : 'never',
      k.revokedAt ? `revoked ${k.revokedAt.toISOString()}` : 'active',
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return (
    rows
      .map((r) =>
        r
          .map((cell, i) => cell.padEnd(widths[i]!))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}

async function withStore(
  io: ApiKeyCliIo,
  work: (store: ApiKeyStore) => Promise<void>,
): Promise<void> {
  // Like `npm start`: a .env in the working folder counts (the process's own variables win).
  if (io.env === process.env) loadDotEnvFile();
  const config = loadConfig(io.env);
  if (config.database.url) {
    await withApiKeyStore(config.database.url, work);
    return;
  }
  await withEmbeddedDatabase(config, io, (url) => withApiKeyStore(url, work));
}

/**
 * `npm start`'s embedded database: the running one if `npm start` is up (never stopped here), else
 * started for this command, migrated as `npm start` would, and stopped after it.
 */
async function withEmbeddedDatabase(
  config: AppConfig,
  io: ApiKeyCliIo,
  work: (url: string) => Promise<void>,
): Promise<void> {
  const pg = new EmbeddedPostgres({
    dataDir: config.database.embedded.dataDir,
    port: config.database.embedded.port,
  });
  const url = pg.url(EMBEDDED_DATABASE_NAME);
  if (await accepting(url)) {
    io.err(
      `DATABASE_URL is unset: using the embedded PostgreSQL that npm start is serving on port ${config.database.embedded.port}\n`,
    );
    await work(url);
    return;
  }
  io.err(
    `DATABASE_URL is unset: using the embedded PostgreSQL in ${pg.dataDir} (as npm start does)\n`,
  );
  await pg.start();
  try {
    await pg.createDatabase(EMBEDDED_DATABASE_NAME);
    await runMigrations(url);
    await work(url);
  } finally {
    await pg.stop();
  }
}

async function accepting(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}
