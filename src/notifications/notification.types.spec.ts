import { deliveryBody } from './notification-delivery.worker';
import { eventOf } from './notification.types';

describe('notification events', () => {
  it('names the event after the final status', () => {
    expect(eventOf('SUCCESSFUL')).toBe('transaction.succeeded');
    expect(eventOf('FAILED')).toBe('transaction.failed');
  });

  it('puts the delivery id and the event inside the signed body, with the transaction as data', () => {
    const payload = { id: 't1', status: 'SUCCESSFUL' } as never;
    const body = JSON.parse(
      deliveryBody({
        id: 'd1',
        event: 'transaction.succeeded',
        createdAt: new Date('2026-03-01T12:00:00.000Z'),
        payload,
      }),
    );
    expect(body).toEqual({
      id: 'd1',
      type: 'transaction.succeeded',
      createdAt: '2026-03-01T12:00:00.000Z',
      data: payload,
    });
  });
});
