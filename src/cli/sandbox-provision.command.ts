import type { Command } from 'commander';
import { MTN_SANDBOX_URL, provisionSandboxUser } from '../emulator/provision';

/**
 * `sandbox:provision`: creates an API user and key on MTN's sandbox (or the emulator, by base
 * URL) and prints the `.env` lines to use them.
 */
export function registerSandboxProvision(program: Command): void {
  program
    .command('sandbox:provision')
    .description("Create an API user and key on MTN's sandbox (or the emulator) and print the .env lines")
    .requiredOption('--callback-host <host>', 'bare host name MTN will send callbacks to (no scheme, no port)')
    .requiredOption('--subscription-key <key>', "one of your products' subscription keys")
    .option('--base-url <url>', 'MoMo endpoint', MTN_SANDBOX_URL)
    .action(async (opts: { callbackHost: string; subscriptionKey: string; baseUrl: string }, command: Command) => {
      const subscriptionKey = opts.subscriptionKey;
      if (/[/:]/.test(opts.callbackHost)) command.error('--callback-host takes a bare host name, e.g. pay.example.com');
      const user = await provisionSandboxUser({ baseUrl: opts.baseUrl, subscriptionKey, callbackHost: opts.callbackHost });
      const lines = [
        `# API user for callbacks to ${opts.callbackHost} (target environment ${user.targetEnvironment})`,
        'MTN_MOMO_ENVIRONMENT=sandbox',
        `MTN_MOMO_BASE_URL=${opts.baseUrl}`,
        `MTN_MOMO_SUBSCRIPTION_KEY=${subscriptionKey}`,
        `MTN_MOMO_API_USER=${user.apiUser}`,
        `MTN_MOMO_API_KEY=${user.apiKey}`,
        `MTN_MOMO_CALLBACK_BASE_URL=https://${opts.callbackHost}`,
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
