import { errorCodeOf, outcomeOf, requestLabels, type AnsweredRequest } from './http-labels';

const answered = (over: Partial<AnsweredRequest>): AnsweredRequest => ({
  method: 'GET',
  route: '/v1/collections/:id',
  params: { id: '6f1c2b7e-3f0a-4c1e-9a55-0d7f4a2b9e10' },
  statusCode: 200,
  handler: 'get',
  errorCode: undefined,
  ...over,
});

describe('requestLabels', () => {
  it('labels by route pattern, product of the route and handler name', () => {
    expect(requestLabels(answered({}))).toEqual({
      method: 'GET',
      route: '/v1/collections/:id',
      status: '200',
      product: 'collection',
      operation: 'get',
      outcome: 'ok',
    });
    expect(
      requestLabels(
        answered({
          method: 'POST',
          route: '/v1/disbursements/refunds',
          handler: 'refund',
          statusCode: 202,
        }),
      ),
    ).toMatchObject({ product: 'disbursement', operation: 'refund' });
    expect(
      requestLabels(answered({ route: '/v1/remittances', handler: 'transfer' })),
    ).toMatchObject({ product: 'remittance' });
  });

  it('takes the product of a callback from its validated path parameter and calls the operation callback', () => {
    const route = '/v1/webhooks/mtn/:product/:id/:token';
    expect(
      requestLabels(
        answered({
          method: 'POST',
          route,
          params: { product: 'remittance', id: 'x', token: 'y' },
          handler: 'post',
        }),
      ),
    ).toMatchObject({ product: 'remittance', operation: 'callback' });
    expect(
      requestLabels(
        answered({
          method: 'POST',
          route,
          params: { product: 'anything', id: 'x', token: 'y' },
          handler: 'post',
        }),
      ),
    ).toMatchObject({ product: 'none' });
  });

  it('says unmatched and none when no route or handler was reached', () => {
    expect(
      requestLabels(
        answered({
          route: undefined,
          params: {},
          statusCode: 404,
          handler: undefined,
          errorCode: 'NOT_FOUND',
        }),
      ),
    ).toEqual({
      method: 'GET',
      route: 'unmatched',
      status: '404',
      product: 'none',
      operation: 'none',
      outcome: 'NOT_FOUND',
    });
    expect(requestLabels(answered({ route: '/health/ready', handler: 'ready' }))).toMatchObject({
      product: 'none',
      operation: 'ready',
    });
    // A route that merely starts with a product's prefix is not that product.
    expect(requestLabels(answered({ route: '/v1/collectionsx' }))).toMatchObject({
      product: 'none',
    });
  });
});

describe('outcomeOf', () => {
  it('is ok below 400, the error code when there is one, else the status class', () => {
    expect(outcomeOf(202, undefined)).toBe('ok');
    expect(outcomeOf(302, 'IGNORED')).toBe('ok');
    expect(outcomeOf(429, 'RATE_LIMITED')).toBe('RATE_LIMITED');
    expect(outcomeOf(500, undefined)).toBe('5xx');
    // Anything not shaped like one of our codes would be an unbounded label value.
    expect(outcomeOf(400, 'Bad Request: field x')).toBe('4xx');
  });
});

describe('errorCodeOf', () => {
  it('reads code from an error body and nothing else', () => {
    expect(errorCodeOf('{"code":"CIRCUIT_OPEN","message":"…"}')).toBe('CIRCUIT_OPEN');
    expect(errorCodeOf('{"message":"no code"}')).toBeUndefined();
    expect(errorCodeOf('{"code":42}')).toBeUndefined();
    expect(errorCodeOf('not json')).toBeUndefined();
    expect(errorCodeOf('{broken')).toBeUndefined();
    expect(errorCodeOf(Buffer.from('{"code":"X"}'))).toBeUndefined();
    expect(errorCodeOf(`{"code":"BIG","pad":"${'x'.repeat(20_000)}"}`)).toBeUndefined();
  });
});
