import { DomainError } from '../../common/errors/domain-error';
import { resolveWindow, scheduleSlot } from './run-window';

const NOW = new Date('2026-11-02T10:15:30.000Z');

function fieldOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('VALIDATION_FAILED');
    return (error as DomainError).details?.[0]?.field;
  }
  throw new Error('expected VALIDATION_FAILED');
}

describe('resolveWindow', () => {
  it('gives stale-pending one key and no bounds of its own', () => {
    expect(resolveWindow({ kind: 'stale-pending' }, NOW)).toEqual({
      kind: 'stale-pending',
      key: 'stale-pending',
      from: null,
      to: null,
    });
  });

  it('refuses a window on a stale-pending run', () => {
    expect(fieldOf(() => resolveWindow({ kind: 'stale-pending', from: '2026-11-01' }, NOW))).toBe(
      'from',
    );
    expect(
      fieldOf(() => resolveWindow({ kind: 'stale-pending', to: '2026-11-01T00:00:00Z' }, NOW)),
    ).toBe('to');
  });

  it('covers the previous UTC day by default for a daily run', () => {
    expect(resolveWindow({ kind: 'daily' }, NOW)).toEqual({
      kind: 'daily',
      key: 'daily:2026-11-01',
      from: new Date('2026-11-01T00:00:00.000Z'),
      to: new Date('2026-11-02T00:00:00.000Z'),
    });
  });

  it('takes the previous day just after midnight UTC', () => {
    expect(resolveWindow({ kind: 'daily' }, new Date('2026-11-02T00:00:00.001Z')).key).toBe(
      'daily:2026-11-01',
    );
  });

  it('takes a named day, as a date or its midnight', () => {
    expect(resolveWindow({ kind: 'daily', from: '2026-10-30' }, NOW).key).toBe('daily:2026-10-30');
    expect(resolveWindow({ kind: 'daily', from: '2026-10-30T00:00:00Z' }, NOW).key).toBe(
      'daily:2026-10-30',
    );
    expect(resolveWindow({ kind: 'daily', from: '2026-10-30T02:00:00+02:00' }, NOW).key).toBe(
      'daily:2026-10-30',
    );
  });

  it('refuses a day that has not ended, a time that is not midnight, and a `to`', () => {
    expect(fieldOf(() => resolveWindow({ kind: 'daily', from: '2026-11-02' }, NOW))).toBe('from');
    expect(fieldOf(() => resolveWindow({ kind: 'daily', from: '2026-10-30T05:00:00Z' }, NOW))).toBe(
      'from',
    );
    expect(fieldOf(() => resolveWindow({ kind: 'daily', from: 'yesterday' }, NOW))).toBe('from');
    expect(fieldOf(() => resolveWindow({ kind: 'daily', to: '2026-11-01T00:00:00Z' }, NOW))).toBe(
      'to',
    );
  });

  it('normalises a window to UTC instants in its key', () => {
    expect(
      resolveWindow(
        { kind: 'window', from: '2026-11-01T03:00:00+03:00', to: '2026-11-01T12:00:00Z' },
        NOW,
      ),
    ).toEqual({
      kind: 'window',
      key: 'window:2026-11-01T00:00:00.000Z/2026-11-01T12:00:00.000Z',
      from: new Date('2026-11-01T00:00:00.000Z'),
      to: new Date('2026-11-01T12:00:00.000Z'),
    });
  });

  it('refuses a window without both bounds, reversed, in the future, too long or without a zone', () => {
    expect(fieldOf(() => resolveWindow({ kind: 'window', to: '2026-11-01T00:00:00Z' }, NOW))).toBe(
      'from',
    );
    expect(
      fieldOf(() => resolveWindow({ kind: 'window', from: '2026-11-01T00:00:00Z' }, NOW)),
    ).toBe('to');
    expect(
      fieldOf(() =>
        resolveWindow(
          { kind: 'window', from: '2026-11-01T00:00:00Z', to: '2026-11-01T00:00:00Z' },
          NOW,
        ),
      ),
    ).toBe('to');
    expect(
      fieldOf(() =>
        resolveWindow(
          { kind: 'window', from: '2026-11-01T00:00:00Z', to: '2026-11-03T00:00:00Z' },
          NOW,
        ),
      ),
    ).toBe('to');
    expect(
      fieldOf(() =>
        resolveWindow(
          { kind: 'window', from: '2026-09-01T00:00:00Z', to: '2026-10-15T00:00:00Z' },
          NOW,
        ),
      ),
    ).toBe('to');
    expect(
      fieldOf(() =>
        resolveWindow(
          { kind: 'window', from: '2026-11-01T00:00:00', to: '2026-11-01T12:00:00Z' },
          NOW,
        ),
      ),
    ).toBe('from');
  });
});

describe('scheduleSlot', () => {
  it('is the day for a daily run, whatever the fire time', () => {
    const window = resolveWindow({ kind: 'daily' }, NOW);
    expect(scheduleSlot(window, NOW)).toEqual(new Date('2026-11-01T00:00:00.000Z'));
  });

  it('rounds the fire time to the minute, so replicas a few seconds apart share the slot', () => {
    const window = resolveWindow({ kind: 'stale-pending' }, NOW);
    expect(scheduleSlot(window, new Date('2026-11-02T10:14:59.950Z'))).toEqual(
      new Date('2026-11-02T10:15:00.000Z'),
    );
    expect(scheduleSlot(window, new Date('2026-11-02T10:15:00.120Z'))).toEqual(
      new Date('2026-11-02T10:15:00.000Z'),
    );
  });
});
