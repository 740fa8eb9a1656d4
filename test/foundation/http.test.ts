import { startTestApp, type TestApp } from '../support/app';

describe('HTTP conventions', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('echoes a caller-given X-Request-Id', async () => {
    const res = await fetch(`${t.url}/health/live`, { headers: { 'X-Request-Id': 'order-42.retry-1' } });
    expect(res.headers.get('x-request-id')).toBe('order-42.retry-1');
  });

  it('generates a request id when none is given', async () => {
    const res = await fetch(`${t.url}/health/live`);
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('replaces an unsafe request id rather than echoing it', async () => {
    const res = await fetch(`${t.url}/health/live`, { headers: { 'X-Request-Id': '<script>' } });
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers an unknown route with the error shape and the request id', async () => {
    const res = await fetch(`${t.url}/v1/nothing-here`, { headers: { 'X-Request-Id': 'rid-404' } });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(await res.json()).toEqual({ code: 'NOT_FOUND', message: 'No such route', retryable: false, requestId: 'rid-404' });
  });

  it('serves the OpenAPI document and the Swagger UI', async () => {
    const json = await fetch(`${t.url}/docs-json`);
    expect(json.status).toBe(200);
    expect(await json.json()).toMatchObject({ openapi: expect.stringMatching(/^3\./), info: { title: 'momo-gateway' } });
    const ui = await fetch(`${t.url}/docs`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('swagger-ui');
  });
});
