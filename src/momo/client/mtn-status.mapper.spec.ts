import {
  toActiveFlag,
  toBalance,
  toBasicUserInfo,
  toMomoStatus,
  toTokenGrant,
} from './mtn-status.mapper';

describe('MTN status mapping', () => {
  it('keeps SUCCESSFUL final with its financial transaction id', () => {
    const status = toMomoStatus({
      amount: '100',
      currency: 'EUR',
      financialTransactionId: '600198217',
      externalId: 'order-1',
      payer: { partyIdType: 'MSISDN', partyId: '256774123456' },
      status: 'SUCCESSFUL',
    });
    expect(status).toEqual({
      status: 'SUCCESSFUL',
      rawStatus: 'SUCCESSFUL',
      amount: '100',
      currency: 'EUR',
      financialTransactionId: '600198217',
      externalId: 'order-1',
      partyId: '256774123456',
      partyIdType: 'MSISDN',
    });
  });

  it('reads a FAILED status with a bare string reason', () => {
    expect(toMomoStatus({ status: 'FAILED', reason: 'APPROVAL_REJECTED' })).toMatchObject({
      status: 'FAILED',
      reason: 'APPROVAL_REJECTED',
      reasonCode: 'APPROVAL_REJECTED',
    });
  });

  it('reads a FAILED status with an object reason', () => {
    expect(
      toMomoStatus({
        status: 'FAILED',
        reason: { code: 'PAYER_NOT_FOUND', message: 'Payee does not exist' },
      }),
    ).toMatchObject({
      status: 'FAILED',
      reason: 'PAYER_NOT_FOUND',
      reasonCode: 'PAYER_NOT_FOUND',
    });
  });

  it('keeps an unknown reason without inventing a code for it', () => {
    const status = toMomoStatus({ status: 'FAILED', reason: 'ONGOING' });
    expect(status).toMatchObject({ reason: 'ONGOING' });
    expect(status?.reasonCode).toBeUndefined();
  });

  it('treats CREATED as pending, keeping the raw status', () => {
    expect(toMomoStatus({ status: 'CREATED' })).toEqual({
      status: 'PENDING',
      rawStatus: 'CREATED',
    });
  });

  it('treats an unknown status as pending, keeping the raw status', () => {
    expect(toMomoStatus({ status: 'ONGOING' })).toEqual({
      status: 'PENDING',
      rawStatus: 'ONGOING',
    });
  });

  it('reads a lower-case status word', () => {
    expect(toMomoStatus({ status: 'successful' })?.status).toBe('SUCCESSFUL');
  });

  it('takes the payee as the party of a transfer', () => {
    expect(
      toMomoStatus({ status: 'PENDING', payee: { partyIdType: 'MSISDN', partyId: '233244000000' } })
        ?.partyId,
    ).toBe('233244000000');
  });

  it('turns numeric amounts and ids into their decimal text', () => {
    expect(
      toMomoStatus({ status: 'SUCCESSFUL', amount: 12.5, financialTransactionId: 1927264368 }),
    ).toMatchObject({
      amount: '12.5',
      financialTransactionId: '1927264368',
    });
  });

  it('rejects a body that is not a status', () => {
    expect([toMomoStatus('<html/>'), toMomoStatus({}), toMomoStatus([])]).toEqual([
      null,
      null,
      null,
    ]);
  });

  it('reads a balance', () => {
    expect(toBalance({ availableBalance: '1000.50', currency: 'EUR' })).toEqual({
      availableBalance: '1000.50',
      currency: 'EUR',
    });
  });

  it('rejects a balance without a currency', () => {
    expect(toBalance({ availableBalance: '1' })).toBeNull();
  });

  it('reads the active flag in both forms', () => {
    expect([toActiveFlag({ result: true }), toActiveFlag(false), toActiveFlag({})]).toEqual([
      true,
      false,
      null,
    ]);
  });

  it('renames basic user info fields to our casing', () => {
    expect(
      toBasicUserInfo({
        given_name: 'Sand',
        family_name: 'Box',
        birthdate: '1976-08-13',
        sub: '0',
      }),
    ).toEqual({
      givenName: 'Sand',
      familyName: 'Box',
      birthDate: '1976-08-13',
    });
  });

  it('reads a token grant', () => {
    expect(
      toTokenGrant({ access_token: 'abc', token_type: 'access_token', expires_in: 3600 }),
    ).toEqual({
      accessToken: 'abc',
      expiresInSeconds: 3600,
    });
  });

  it("assumes MTN's documented lifetime when expires_in is missing", () => {
    expect(toTokenGrant({ access_token: 'abc' })?.expiresInSeconds).toBe(3600);
  });

  it('rejects a token answer without a token', () => {
    expect(toTokenGrant({ token_type: 'access_token' })).toBeNull();
  });
});
