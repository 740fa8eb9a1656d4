import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, type Repository } from 'typeorm';
import { DomainError, type ErrorDetail } from '../common/errors/domain-error';
import { uniqueViolation } from '../database/unique-violation';
import { isUuid } from '../transactions/uuid';
import { ApiKeyEntity } from './api-key.entity';
import { displayPrefix, generateApiKey } from './api-key.format';
import { API_KEY_SCOPES, isApiKeyScope, type ApiKeyScope } from './api-key.scopes';

const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export interface CreateApiKeyInput {
  name: string;
  scopes: readonly ApiKeyScope[];
  /** Null or absent: the configured default. */
  rateLimitPerMinute?: number | null;
}

/** A key as listings show it: never the key, never its hash. */
export interface ApiKeySummary {
  id: string;
  name: string;
  /** `mgw_<prefix>`: tells keys apart, grants nothing. */
  prefix: string;
  scopes: ApiKeyScope[];
  rateLimitPerMinute: number | null;
  createdAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

export interface CreatedApiKey {
  /** The whole key. Shown once; only its hash is stored. */
  key: string;
  summary: ApiKeySummary;
}

export type ApiKeySelector = { name: string } | { id: string };

/** How `update` changes a key's scopes: replace the list, or add or remove some. */
export type ApiKeyScopeChange =
  | { set: readonly ApiKeyScope[] }
  | { add: readonly ApiKeyScope[] }
  | { remove: readonly ApiKeyScope[] };

export interface UpdateApiKeyInput {
  scopes?: ApiKeyScopeChange;
  /** A number: the key's own limit; null: the configured default; absent: unchanged. */
  rateLimitPerMinute?: number | null;
}

export interface UpdatedApiKey {
  before: ApiKeySummary;
  summary: ApiKeySummary;
  /** False when the key already was as asked (nothing was written). */
  changed: boolean;
}

/** The scopes a key holds after `change`, in the canonical order and without duplicates. */
export function applyScopeChange(
  current: readonly ApiKeyScope[],
  change: ApiKeyScopeChange,
): ApiKeyScope[] {
  const next =
    'set' in change
      ? change.set
      : 'add' in change
        ? [...current, ...change.add]
        : current.filter((s) => !change.remove.includes(s));
  return API_KEY_SCOPES.filter((s) => next.includes(s));
}

export function summaryOf(row: ApiKeyEntity): ApiKeySummary {
  return {
    id: row.id,
    name: row.name,
    prefix: displayPrefix(row.prefix),
    scopes: row.scopes,
    rateLimitPerMinute: row.rateLimitPerMinute,
    createdAt: row.createdAt,
    revokedAt: row.revokedAt,
    lastUsedAt: row.lastUsedAt,
  };
}

/**
 * The `api_keys` table: create (the key is returned once), list, update, revoke, and the two reads the
 * guard needs. Used by the application, the CLI and the embedded-default launcher alike.
 */
@Injectable()
export class ApiKeyStore {
  private readonly repo: Repository<ApiKeyEntity>;

  constructor(dataSource: DataSource) {
    this.repo = dataSource.getRepository(ApiKeyEntity);
  }

  async create(input: CreateApiKeyInput): Promise<CreatedApiKey> {
    validate(input);
    // The prefix is random and unique; a collision (1 in ~10^12 per pair) just draws again.
    for (let attempt = 1; ; attempt++) {
      const generated = generateApiKey();
      const row = this.repo.create({
        id: randomUUID(),
        name: input.name,
        prefix: generated.prefix,
        keyHash: generated.hash,
        scopes: API_KEY_SCOPES.filter((s) => input.scopes.includes(s)),
        rateLimitPerMinute: input.rateLimitPerMinute ?? null,
        revokedAt: null,
        lastUsedAt: null,
      });
      try {
        await this.repo.insert(row);
      } catch (err) {
        const constraint = uniqueViolation(err);
        if (constraint === 'uq_api_keys_name') {
          throw new DomainError(
            'RESOURCE_ALREADY_EXIST',
            `An API key named "${input.name}" already exists (names are never reused, even after revocation)`,
          );
        }
        if (constraint === 'uq_api_keys_prefix' && attempt < 3) continue;
        throw err;
      }
      const stored = await this.repo.findOneByOrFail({ id: row.id });
      return { key: generated.key, summary: summaryOf(stored) };
    }
  }

  async list(): Promise<ApiKeySummary[]> {
    const rows = await this.repo.find({ order: { createdAt: 'ASC', name: 'ASC' } });
    return rows.map(summaryOf);
  }

  async count(): Promise<number> {
    return this.repo.count();
  }

  /** Revokes a live key; revoking a revoked one changes nothing and says so. */
  async revoke(
    selector: ApiKeySelector,
  ): Promise<{ summary: ApiKeySummary; alreadyRevoked: boolean }> {
    const found = await findSelected(this.repo, selector);
    if (found.revokedAt) return { summary: summaryOf(found), alreadyRevoked: true };
    await this.repo
      .createQueryBuilder()
      .update()
      .set({ revokedAt: () => 'now()' })
      .where('id = :id AND revoked_at IS NULL', { id: found.id })
      .execute();
    return {
      summary: summaryOf(await this.repo.findOneByOrFail({ id: found.id })),
      alreadyRevoked: false,
    };
  }

  /**
   * Changes a live key's scopes and/or rate limit; a revoked key cannot be changed. The row is
   * locked while the new scopes are worked out, so concurrent updates (or a revocation) never
   * lose one another. Replicas see the change once their cached lookup expires
   * (`API_KEY_CACHE_TTL_SECONDS`).
   */
  async update(selector: ApiKeySelector, input: UpdateApiKeyInput): Promise<UpdatedApiKey> {
    if (input.scopes === undefined && input.rateLimitPerMinute === undefined)
      throw new DomainError('VALIDATION_FAILED', 'Nothing to change: give scopes or a rate limit');
    return this.repo.manager.transaction(async (manager) => {
      const repo = manager.getRepository(ApiKeyEntity);
      const found = await findSelected(repo, selector, true);
      if (found.revokedAt) {
        throw new DomainError(
          'NOT_ALLOWED',
          `API key "${found.name}" (${displayPrefix(found.prefix)}) was revoked at ${found.revokedAt.toISOString()}; a revoked key cannot be updated`,
        );
      }
      const scopes =
        input.scopes === undefined ? found.scopes : applyScopeChange(found.scopes, input.scopes);
      const rateLimitPerMinute =
        input.rateLimitPerMinute === undefined
          ? found.rateLimitPerMinute
          : input.rateLimitPerMinute;
      validate({ name: found.name, scopes, rateLimitPerMinute });
      const before = summaryOf(found);
      const changed =
        rateLimitPerMinute !== found.rateLimitPerMinute ||
        scopes.length !== found.scopes.length ||
        scopes.some((s) => !found.scopes.includes(s));
      if (!changed) return { before, summary: before, changed };
      await repo.update({ id: found.id }, { scopes, rateLimitPerMinute });
      return { before, summary: summaryOf(await repo.findOneByOrFail({ id: found.id })), changed };
    });
  }

  findByPrefix(prefix: string): Promise<ApiKeyEntity | null> {
    return this.repo.findOneBy({ prefix });
  }

  /** Records use, skipping the write when another replica recorded it within `intervalSeconds`. */
  async touch(id: string, intervalSeconds: number): Promise<void> {
    await this.repo.query(
      `UPDATE "api_keys" SET "last_used_at" = now()
        WHERE "id" = $1 AND ("last_used_at" IS NULL OR "last_used_at" < now() - make_interval(secs => $2))`,
      [id, intervalSeconds],
    );
  }
}

/** The selected key (locked for update when asked), or NOT_FOUND naming what was asked for. */
async function findSelected(
  repo: Repository<ApiKeyEntity>,
  selector: ApiKeySelector,
  lock = false,
): Promise<ApiKeyEntity> {
  const notFound = () =>
    new DomainError(
      'NOT_FOUND',
      'id' in selector
        ? `No API key with id ${selector.id}`
        : `No API key named "${selector.name}"`,
    );
  if ('id' in selector && !isUuid(selector.id)) throw notFound();
  const where = 'id' in selector ? { id: selector.id } : { name: selector.name };
  const found = await repo.findOne({
    where,
    ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
  });
  if (!found) throw notFound();
  return found;
}

function validate(input: CreateApiKeyInput): void {
  const details: ErrorDetail[] = [];
  if (!NAME_PATTERN.test(input.name)) {
    details.push({
      field: 'name',
      message:
        'letters, digits, ".", "_" and "-", starting with a letter or digit, at most 64 characters',
    });
  }
  if (input.scopes.length === 0 || !input.scopes.every(isApiKeyScope)) {
    details.push({ field: 'scopes', message: `one or more of ${API_KEY_SCOPES.join(', ')}` });
  }
  const limit = input.rateLimitPerMinute;
  if (
    limit !== undefined &&
    limit !== null &&
    (!Number.isInteger(limit) || limit < 1 || limit > 1_000_000)
  ) {
    details.push({ field: 'rateLimitPerMinute', message: 'a whole number from 1 to 1000000' });
  }
  if (details.length > 0) {
    throw new DomainError(
      'VALIDATION_FAILED',
      `Invalid API key: ${details.map((d) => `${d.field}: ${d.message}`).join('; ')}`,
      { details },
    );
  }
}
