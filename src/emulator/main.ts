import { startEmulator, type SeedApiUser } from './emulator';

/**
 * `npm run emulator`: the emulator as its own program. Configured by environment variables:
 * MOMO_EMULATOR_PORT (8090), MOMO_EMULATOR_HOST (127.0.0.1),
 * MOMO_EMULATOR_{COLLECTION,DISBURSEMENT,REMITTANCE}_KEY (generated when unset), and, to have
 * an API user from the start, MOMO_EMULATOR_API_USER + MOMO_EMULATOR_API_KEY (+
 * MOMO_EMULATOR_CALLBACK_HOST, MOMO_EMULATOR_TARGET_ENVIRONMENT).
 */
async function main(): Promise<void> {
  const env = process.env;
  const apiUsers: SeedApiUser[] = [];
  if (env.MOMO_EMULATOR_API_USER && env.MOMO_EMULATOR_API_KEY) {
    apiUsers.push({
      apiUser: env.MOMO_EMULATOR_API_USER,
      apiKey: env.MOMO_EMULATOR_API_KEY,
      providerCallbackHost: env.MOMO_EMULATOR_CALLBACK_HOST ?? 'localhost',
      targetEnvironment: env.MOMO_EMULATOR_TARGET_ENVIRONMENT,
    });
  }
  const emulator = await startEmulator({
    port: Number(env.MOMO_EMULATOR_PORT ?? 8090),
    host: env.MOMO_EMULATOR_HOST ?? '127.0.0.1',
    subscriptionKeys: {
      collection: env.MOMO_EMULATOR_COLLECTION_KEY,
      disbursement: env.MOMO_EMULATOR_DISBURSEMENT_KEY,
      remittance: env.MOMO_EMULATOR_REMITTANCE_KEY,
    },
    apiUsers,
    log: true,
  });
  const keys = emulator.subscriptionKeys;
  process.stdout.write(
    `MoMo emulator on ${emulator.url} (keys: collection ${keys.collection}, disbursement ${keys.disbursement}, ` +
      `remittance ${keys.remittance}); provision: curl -X POST ${emulator.url}/v1_0/apiuser ` +
      `-H "Ocp-Apim-Subscription-Key: ${keys.collection}" -H "X-Reference-Id: $(uuidgen)" ` +
      `-H "Content-Type: application/json" -d '{"providerCallbackHost":"localhost"}'\n`,
  );
  const stop = (): void => {
    emulator.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`MoMo emulator failed to start: ${String(error)}\n`);
  process.exit(1);
});
