import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';

const DIR = path.resolve(__dirname, '..', '..', 'deploy', 'k8s');

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- manifests are checked by assertions
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

function load(): Manifest[] {
  return fs
    .readdirSync(DIR)
    .filter((f) => f.endsWith('.yaml'))
    .flatMap((f) =>
      parseAllDocuments(fs.readFileSync(path.join(DIR, f), 'utf8')).map((d) => {
        expect(d.errors).toEqual([]);
        return d.toJS() as Manifest;
      }),
    );
}

describe('Kubernetes manifests', () => {
  const manifests = load();
  const byKind = (kind: string) => manifests.filter((m) => m.kind === kind);
  const deployment = byKind('Deployment')[0]!;
  const container = deployment.spec.template.spec.containers[0];
  const schemaVariables = new Set(
    [...fs.readFileSync(path.resolve(__dirname, '..', '..', 'src', 'config', 'environment.schema.ts'), 'utf8').matchAll(/^\s+([A-Z][A-Z0-9_]+)\?:/gm)].map((m) => m[1]),
  );

  it('parses and holds a Deployment, Service, ConfigMap, Secret example and a migration Job', () => {
    expect(manifests.map((m) => m.kind).sort()).toEqual(expect.arrayContaining(['ConfigMap', 'Deployment', 'Job', 'Secret', 'Service']));
  });

  it('runs two replicas with probes on the real health routes', () => {
    expect(deployment.spec.replicas).toBe(2);
    expect(container.livenessProbe.httpGet.path).toBe('/health/live');
    expect(container.readinessProbe.httpGet.path).toBe('/health/ready');
  });

  it('sets resources and a termination grace period longer than the pre-stop pause', () => {
    expect(container.resources.requests).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
    expect(container.resources.limits.memory).toBeDefined();
    expect(deployment.spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(30);
    expect(container.lifecycle.preStop.exec.command).toEqual(['sleep', '5']);
  });

  it('selects its pods with the Service and routes to the container port', () => {
    const service = byKind('Service')[0]!;
    expect(service.spec.selector).toEqual(deployment.spec.selector.matchLabels);
    const portName = service.spec.ports[0].targetPort;
    expect(container.ports.map((p: { name: string }) => p.name)).toContain(portName);
  });

  it('configures only variables the service knows, and reads secrets from the Secret', () => {
    const configMap = byKind('ConfigMap')[0]!;
    expect(Object.keys(configMap.data!).filter((k) => !schemaVariables.has(k))).toEqual([]);
    const secret = byKind('Secret')[0]!;
    for (const ref of container.env.filter((e: { valueFrom?: { secretKeyRef?: unknown } }) => e.valueFrom?.secretKeyRef)) {
      expect(Object.keys(secret.stringData!)).toContain(ref.valueFrom.secretKeyRef.key);
      expect(schemaVariables.has(ref.name)).toBe(true);
    }
  });

  it('migrates in a Job with the same image and configuration, not in the Deployment', () => {
    const job = byKind('Job')[0]!;
    const migrate = job.spec.template.spec.containers[0];
    expect(migrate.image).toBe(container.image);
    expect(migrate.command.join(' ')).toContain('migration:run');
    expect(migrate.envFrom).toEqual(container.envFrom);
    expect(JSON.stringify(container)).not.toContain('migration:run');
  });

  it('runs as a non-root user', () => {
    expect(deployment.spec.template.spec.securityContext.runAsNonRoot).toBe(true);
  });
});
