import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { EnvironmentVariables } from '../../src/config/environment.schema';

const ROOT = path.resolve(__dirname, '..', '..');

interface ComposeService {
  build?: unknown;
  image?: string;
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
}

describe('deployment files', () => {
  const compose = parse(fs.readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8')) as { services: Record<string, ComposeService> };

  it('compose runs postgres, the emulator and the gateway, the gateway after migrations', () => {
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining(['postgres', 'emulator', 'gateway', 'migrate']));
    expect(compose.services.gateway!.depends_on).toMatchObject({
      postgres: { condition: 'service_healthy' },
      migrate: { condition: 'service_completed_successfully' },
    });
    expect(compose.services.gateway!.environment!.MTN_MOMO_BASE_URL).toBe('http://emulator:8090');
  });

  it('compose sets only variables the configuration knows', () => {
    const known = new Set(Object.keys(new EnvironmentVariables()).concat(readEnvExampleNames()));
    for (const name of ['gateway', 'migrate']) {
      for (const key of Object.keys(compose.services[name]!.environment ?? {})) expect(known).toContain(key);
    }
  });

  it('.env.example documents every variable of the schema', () => {
    const documented = new Set(readEnvExampleNames());
    const schemaSource = fs.readFileSync(path.join(ROOT, 'src', 'config', 'environment.schema.ts'), 'utf8');
    const declared = [...schemaSource.matchAll(/^\s+([A-Z][A-Z0-9_]+)\?:/gm)].map((m) => m[1]!);
    expect(declared.length).toBeGreaterThan(20);
    expect(declared.filter((v) => !documented.has(v))).toEqual([]);
  });

  it('the Dockerfile is multi-stage and runs a maintained LTS as a non-root user', () => {
    const dockerfile = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
    expect(dockerfile.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(2);
    expect(dockerfile).toMatch(/^FROM node:(22|24)/m);
    expect(dockerfile).toMatch(/^USER node$/m);
  });

  it('the image runs the service as `npm run start:prod` does, heap limit included', () => {
    const dockerfile = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
    const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(dockerfile)?.[1] ?? '[]') as string[];
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(cmd.join(' ')).toBe(pkg.scripts['start:prod']);
    expect(cmd).toContainEqual(expect.stringMatching(/^--max-old-space-size=\d+$/));
  });

  const composeCli = spawnSync('docker-compose', ['version'], { encoding: 'utf8' });
  (composeCli.status === 0 ? it : it.skip)('docker-compose validates the compose file', () => {
    const run = spawnSync('docker-compose', ['-f', path.join(ROOT, 'docker-compose.yml'), 'config', '-q'], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
});

function readEnvExampleNames(): string[] {
  return fs
    .readFileSync(path.join(ROOT, '.env.example'), 'utf8')
    .split('\n')
    .map((l) => /^([A-Z][A-Z0-9_]+)=/.exec(l)?.[1])
    .filter((v): v is string => v !== undefined);
}
