import type { AppConfig } from '../config/app-config';
import { HOST_NOT_ALLOWED } from './allowed-hosts';
import { NotificationSender } from './notification.sender';

function sender(allowedHosts: string[] | null): NotificationSender {
  return new NotificationSender({ notifications: { allowedHosts } } as AppConfig);
}

const notification = (url: string) => ({ url, body: '{}', headers: {}, timeoutMs: 1000 });

describe('NotificationSender and NOTIFICATIONS_ALLOWED_HOSTS', () => {
  let fetchSpy: jest.SpyInstance;
  beforeEach(() => {
    fetchSpy = jest
      .spyOn(globalThis, 'fetch')
      .mockResolvedValue(new Response(null, { status: 204 }));
  });
  afterEach(() => fetchSpy.mockRestore());

  it('refuses a host outside the list without making any request', async () => {
    const result = await sender(['billing.internal']).send(
      notification('http://169.254.169.254/latest/meta-data'),
    );
    expect(result).toEqual({ kind: 'refused', error: HOST_NOT_ALLOWED });
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('sends to a host in the list, and to any host when there is no list', async () => {
    expect(
      await sender(['billing.internal']).send(notification('https://billing.internal/h')),
    ).toEqual({ kind: 'response', status: 204 });
    expect(await sender(null).send(notification('https://anywhere.example/h'))).toEqual({
      kind: 'response',
      status: 204,
    });
    expect(fetchSpy).toHaveBeenCalledTimes(2);
  });
});
