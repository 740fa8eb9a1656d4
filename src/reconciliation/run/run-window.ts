import { DomainError } from '../../common/errors/domain-error';
import type { RunKind } from '../reconciliation.types';

const DAY_MS = 86_400_000;
/** The longest window one run may cover: a month of transactions is already a long run. */
export const MAX_WINDOW_DAYS = 31;

export interface RunRequest {
  kind: RunKind;
  /** daily: the UTC day (YYYY-MM-DD, or that day's midnight UTC); window: inclusive start. */
  from?: string;
  /** window only: exclusive end. */
  to?: string;
}

/**
 * What a run covers. `key` names the window: two runs with the same key cover the same records,
 * so at most one of them may be RUNNING at a time. A stale-pending run has no bounds of its own:
 * its cutoff (now − threshold) is taken from the database clock when it starts.
 */
export interface RunWindow {
  kind: RunKind;
  key: string;
  from: Date | null;
  to: Date | null;
}

function invalid(field: string, message: string): DomainError {
  return new DomainError('VALIDATION_FAILED', 'The request is not valid', {
    details: [{ field, message }],
  });
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

function parseInstant(value: string, field: string): Date {
  const date = ISO_INSTANT.test(value) ? new Date(value) : new Date(Number.NaN);
  if (Number.isNaN(date.getTime())) {
    throw invalid(
      field,
      'must be an ISO 8601 date-time with a time zone, e.g. 2026-11-01T00:00:00Z',
    );
  }
  return date;
}

/** Midnight UTC of the day `date` falls on. */
export function utcDayStart(date: Date): Date {
  return new Date(Math.floor(date.getTime() / DAY_MS) * DAY_MS);
}

function dayKey(day: Date): string {
  return day.toISOString().slice(0, 10);
}

function dailyWindow(from: string | undefined, now: Date): RunWindow {
  let day: Date;
  if (from === undefined) {
    day = new Date(utcDayStart(now).getTime() - DAY_MS);
  } else {
    day = ISO_DAY.test(from) ? new Date(`${from}T00:00:00.000Z`) : parseInstant(from, 'from');
    if (Number.isNaN(day.getTime()) || day.getTime() !== utcDayStart(day).getTime()) {
      throw invalid('from', 'must be a UTC day (YYYY-MM-DD) or its midnight UTC');
    }
  }
  const end = new Date(day.getTime() + DAY_MS);
  if (end.getTime() > now.getTime()) {
    throw invalid('from', 'a daily run covers a UTC day that has ended');
  }
  return { kind: 'daily', key: `daily:${dayKey(day)}`, from: day, to: end };
}

function windowOf(from: string | undefined, to: string | undefined, now: Date): RunWindow {
  if (from === undefined) throw invalid('from', 'is required for a window run');
  if (to === undefined) throw invalid('to', 'is required for a window run');
  const start = parseInstant(from, 'from');
  const end = parseInstant(to, 'to');
  if (end.getTime() <= start.getTime()) throw invalid('to', 'must be after from');
  if (end.getTime() > now.getTime()) throw invalid('to', 'must not be in the future');
  if (end.getTime() - start.getTime() > MAX_WINDOW_DAYS * DAY_MS) {
    throw invalid('to', `a window covers at most ${MAX_WINDOW_DAYS} days`);
  }
  return {
    kind: 'window',
    key: `window:${start.toISOString()}/${end.toISOString()}`,
    from: start,
    to: end,
  };
}

/** Checks a run request and names the window it covers. Throws VALIDATION_FAILED. */
export function resolveWindow(request: RunRequest, now: Date): RunWindow {
  switch (request.kind) {
    case 'stale-pending':
      if (request.from !== undefined) throw invalid('from', 'a stale-pending run takes no window');
      if (request.to !== undefined) throw invalid('to', 'a stale-pending run takes no window');
      return { kind: 'stale-pending', key: 'stale-pending', from: null, to: null };
    case 'daily':
      if (request.to !== undefined)
        throw invalid('to', 'a daily run covers one UTC day: give from only');
      return dailyWindow(request.from, now);
    case 'window':
      return windowOf(request.from, request.to, now);
  }
}

/**
 * The slot a scheduled run belongs to, the same on every replica: the UTC day for the daily run,
 * the cron's fire time rounded to the nearest minute for the others (replica clocks differ by
 * milliseconds, never by half a minute).
 */
export function scheduleSlot(window: RunWindow, firedAt: Date): Date {
  if (window.kind === 'daily' && window.from) return window.from;
  return new Date(Math.round(firedAt.getTime() / 60_000) * 60_000);
}
