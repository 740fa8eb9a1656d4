import 'reflect-metadata';
import { Command } from 'commander';
import { registerApiKeyCommands } from './api-key.command';
import { registerReconcile } from './reconcile.command';
import { registerSandboxProvision } from './sandbox-provision.command';

/**
 * `npm run cli -- <command>`: operator commands. Each command lives in its own file and registers
 * itself here.
 */
async function main(argv: string[]): Promise<void> {
  const program = new Command('momo-gateway')
    .description('momo-gateway operator commands')
    .showHelpAfterError()
    .exitOverride();
  registerSandboxProvision(program);
  registerReconcile(program);
  registerApiKeyCommands(program);
  await program.parseAsync(argv);
}

main(process.argv).catch((err: unknown) => {
  const code = (err as { exitCode?: unknown }).exitCode;
  if (typeof code === 'number') process.exit(code);
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
