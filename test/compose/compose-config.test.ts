// The production-shaped stack (docker-compose.yml), checked through `docker compose config`: the
// real Compose implementation resolves the file, so what is asserted here is what `up` would run.
// No Docker engine is needed, only the Compose v2 CLI (the `docker compose` plugin).
//
// Finding Compose: DOCKER_COMPOSE (a command, e.g. "docker compose" or "/opt/bin/docker-compose"),
// else `docker compose`, else a Compose v2 `docker-compose` on PATH. Without one the suite FAILS with
// a message saying so, unless SKIP_DOCKER_TESTS=1, which skips it explicitly (reported as skipped).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { PROJECT_ROOT } from '../../lib/project-root.ts';
import { SEARCH_ATTRIBUTES } from '../../workflows/tick-contract.ts';

const COMPOSE_FILE = path.join(PROJECT_ROOT, 'docker-compose.yml');
const EXAMPLE_ENV = path.join(PROJECT_ROOT, '.env.compose.example');

/** Secrets the stack must not start without (each `${VAR:?…}` in docker-compose.yml). */
const REQUIRED_SECRETS = ['POSTGRES_PASSWORD', 'VAULT_KEK', 'PERSONA_SEED_SECRET', 'GRAFANA_ADMIN_PASSWORD'];

const REQUIRED_SERVICES = [
  'postgres',
  'temporal-schema-setup',
  'temporal',
  'temporal-create-namespace',
  'temporal-search-attributes',
  'temporal-ui',
  'gateway-1',
  'gateway-2',
  'gateway',
  'worker',
  'prometheus',
  'grafana',
];

// --- the slice of `docker compose config --format json` these tests read ---
interface Mount {
  type: string;
  source: string;
  target: string;
}
interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[] | null;
  environment?: Record<string, string | null>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test?: string[] };
  volumes?: Mount[];
  ports?: Array<{ target: number; published?: string; host_ip?: string }>;
}
interface ComposeConfig {
  services: Record<string, Service>;
  configs?: Record<string, { content?: string }>;
}

/** The gateway replicas behind the `gateway` load balancer (README "Running more than one gateway"). */
const GATEWAY_REPLICAS = ['gateway-1', 'gateway-2'];

type ComposeCli = { ok: true; cmd: string[] } | { ok: false; reason: string };

function runs(cmd: string[], args: string[]): { ok: boolean; out: string } {
  const r = spawnSync(cmd[0]!, [...cmd.slice(1), ...args], { encoding: 'utf8', timeout: 30_000 });
  return { ok: !r.error && r.status === 0, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

function findCompose(): ComposeCli {
  const explicit = process.env.DOCKER_COMPOSE?.trim();
  if (explicit) {
    const cmd = explicit.split(/\s+/);
    const v = runs(cmd, ['version']);
    return v.ok
      ? { ok: true, cmd }
      : {
          ok: false,
          reason: `DOCKER_COMPOSE="${explicit}" does not run (\`${explicit} version\`: ${v.out.trim() || 'no output'}); fix or unset it, or set SKIP_DOCKER_TESTS=1 to skip these tests`,
        };
  }
  const docker = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8', timeout: 30_000 });
  if (!docker.error && docker.status === 0) return { ok: true, cmd: ['docker', 'compose'] };
  const standalone = runs(['docker-compose'], ['version']);
  if (standalone.ok && /v2\.\d+/.test(standalone.out)) return { ok: true, cmd: ['docker-compose'] };
  const dockerState =
    (docker.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT'
      ? 'the `docker` binary is not on PATH'
      : '`docker compose` is not available (the Compose v2 CLI plugin is not installed)';
  return {
    ok: false,
    reason:
      `${dockerState}, and no Compose v2 \`docker-compose\` is on PATH. These tests need the Compose v2 CLI ` +
      "(no Docker engine): install the docker-compose-plugin package from Docker's apt repository or put " +
      'a Compose v2 binary at ~/.docker/cli-plugins/docker-compose, or point DOCKER_COMPOSE at one; ' +
      'or set SKIP_DOCKER_TESTS=1 to skip them explicitly.',
  };
}

/** Only what Compose needs: secrets exported in the caller's shell must not leak into the checks. */
function composeEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME };
  if (process.env.DOCKER_CONFIG) env.DOCKER_CONFIG = process.env.DOCKER_CONFIG;
  return { ...env, ...extra };
}

function parseEnvFile(file: string): Map<string, string> {
  const vars = new Map<string, string>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^\s*([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line);
    if (m) vars.set(m[1]!, m[2]!.trim());
  }
  return vars;
}

/** `host:port` targets of a Prometheus config, in flow (`['a:1']`) or block (`- a:1`) style. */
function scrapeTargets(yaml: string): string[] {
  const targets: string[] = [];
  const lines = yaml.split('\n').map((l) => l.replace(/\s+#.*$/, ''));
  const unquote = (s: string) => s.trim().replace(/^['"]|['"]$/g, '');
  for (let i = 0; i < lines.length; i++) {
    const m = /^(\s*)(?:-\s*)?targets:\s*(.*)$/.exec(lines[i]!);
    if (!m) continue;
    if (m[2]!.startsWith('[')) {
      targets.push(
        ...m[2]!
          .replace(/^\[|\]$/g, '')
          .split(',')
          .map(unquote)
          .filter(Boolean),
      );
      continue;
    }
    for (let j = i + 1; j < lines.length; j++) {
      const item = /^\s*-\s*(\S+)\s*$/.exec(lines[j]!);
      if (!item || /:\s/.test(lines[j]!)) break;
      targets.push(unquote(item[1]!));
    }
  }
  return targets;
}

const compose = findCompose();

if (!compose.ok) {
  // Never a silent pass: without Compose this fails, unless skipping was asked for explicitly.
  const skip = process.env.SKIP_DOCKER_TESTS === '1' ? `SKIP_DOCKER_TESTS=1 (${compose.reason})` : false;
  test('docker-compose.yml: the Compose v2 CLI is available', { skip }, () => {
    assert.fail(compose.reason);
  });
} else {
  describeStack(compose.cmd);
}

function describeStack(cmd: string[]): void {
  describe('docker-compose.yml (docker compose config)', () => {
    let config: ComposeConfig;
    let exampleEnv: Map<string, string>;
    let scratch: string;

    /** `docker compose config …` with the given env file and extra environment. */
    function composeConfig(envFile: string, args: string[], extraEnv: Record<string, string> = {}) {
      return spawnSync(
        cmd[0]!,
        [
          ...cmd.slice(1),
          '--project-directory',
          PROJECT_ROOT,
          '-f',
          COMPOSE_FILE,
          '--env-file',
          envFile,
          'config',
          ...args,
        ],
        { encoding: 'utf8', timeout: 60_000, env: composeEnv(extraEnv) },
      );
    }

    function render(extraEnv: Record<string, string> = {}): ComposeConfig {
      const r = composeConfig(EXAMPLE_ENV, ['--format', 'json'], extraEnv);
      assert.equal(r.status, 0, `docker compose config failed:\n${r.stderr}`);
      return JSON.parse(r.stdout) as ComposeConfig;
    }

    const service = (name: string): Service => {
      const s = config.services[name];
      assert.ok(s, `service ${name} is missing`);
      return s;
    };
    const env = (name: string): Record<string, string | null> => service(name).environment ?? {};

    before(() => {
      exampleEnv = parseEnvFile(EXAMPLE_ENV);
      scratch = mkdtempSync(path.join(tmpdir(), 'compose-config-'));
      config = render();
    });
    after(() => {
      if (scratch) rmSync(scratch, { recursive: true, force: true });
    });

    test('`docker compose config --quiet` accepts the file with .env.compose.example', () => {
      const r = composeConfig(EXAMPLE_ENV, ['--quiet']);
      assert.equal(r.status, 0, r.stderr);
    });

    test('every service of the stack exists, and third-party images are pinned', () => {
      for (const name of REQUIRED_SERVICES) service(name);
      for (const [name, s] of Object.entries(config.services)) {
        if (s.build) continue;
        assert.match(s.image ?? '', /^[\w./-]+:[\w.-]+$/, `${name}: image "${s.image}" has no tag`);
        assert.doesNotMatch(s.image ?? '', /:latest$/, `${name}: image "${s.image}" is not pinned`);
      }
    });

    test("gateway replicas and worker run this repository's image with the gateway / worker commands", () => {
      for (const name of [...GATEWAY_REPLICAS, 'worker']) {
        const s = service(name);
        assert.equal(s.build?.context, PROJECT_ROOT, `${name} builds this repository`);
        assert.equal(path.basename(s.build?.dockerfile ?? ''), 'Dockerfile');
        const command = name === 'worker' ? 'worker' : 'gateway';
        assert.deepEqual(s.command, ['node', 'scripts/bin/personas.js', command]);
        assert.equal(s.image, service('worker').image, 'one image for all');
      }
    });

    test('gateway replicas and worker run with NODE_ENV=production', () => {
      for (const name of [...GATEWAY_REPLICAS, 'worker']) assert.equal(env(name).NODE_ENV, 'production');
    });

    test('two gateway replicas behind a plain round-robin load balancer, limits shared', () => {
      const lb = service('gateway');
      assert.match(lb.image ?? '', /^nginx:/, 'a maintained proxy image');
      assert.equal(lb.build, undefined);
      for (const name of GATEWAY_REPLICAS) {
        assert.equal(lb.depends_on?.[name]?.condition, 'service_healthy');
        assert.equal(service(name).ports?.length ?? 0, 0, `${name} is reached through the load balancer`);
        assert.equal(env(name).GATEWAY_LIMITS_STORE, 'postgres', `${name}: limits counted across replicas`);
        assert.equal(env(name).GATEWAY_TRUST_PROXY, '1', `${name}: client IPs from the load balancer`);
        assert.ok((env(name).GATEWAY_ALLOWED_HOSTS ?? '').split(',').includes(name), `${name} accepts its name`);
      }
      // Every replica signs and checks tokens as the same issuer.
      assert.equal(env('gateway-1').GATEWAY_PUBLIC_URL, env('gateway-2').GATEWAY_PUBLIC_URL);
      assert.deepEqual(lb.ports?.map((p) => p.target), [3069]);
      const nginx = config.configs?.['gateway-lb']?.content ?? '';
      for (const name of GATEWAY_REPLICAS) assert.match(nginx, new RegExp(`server ${name}:3069\\b`));
      // Round robin is nginx's default: nothing may pin a client to a replica.
      assert.doesNotMatch(nginx, /\b(ip_hash|hash|sticky|least_conn|random)\b/);
      assert.match(nginx, /proxy_set_header Host \$http_host;/, 'the Host the replicas check is the client\'s');
      assert.match(nginx, /proxy_buffering off;/, 'SSE answers stream through');
    });

    test('the worker reaches Temporal, the gateway and Postgres by service name', () => {
      const w = env('worker');
      const [temporalHost, temporalPort] = (w.TEMPORAL_ADDRESS ?? '').split(':');
      assert.equal(temporalHost, 'temporal', 'TEMPORAL_ADDRESS points at the temporal service');
      assert.equal(temporalPort, '7233');
      assert.match(service('temporal').image ?? '', /^temporalio\/server:/);

      const gatewayUrl = new URL(w.GATEWAY_URL ?? '');
      assert.equal(gatewayUrl.hostname, 'gateway', 'the worker goes through the load balancer');
      for (const name of GATEWAY_REPLICAS) {
        assert.equal(gatewayUrl.port, env(name).GATEWAY_PORT);
        assert.equal(env(name).GATEWAY_HOST, '0.0.0.0', `${name} listens beyond loopback`);
        assert.ok(
          (env(name).GATEWAY_ALLOWED_HOSTS ?? '').split(',').includes('gateway'),
          `${name} accepts Host: gateway (the worker, through the load balancer)`,
        );
      }
      assert.equal(w.WORKER_METRICS_HOST, '0.0.0.0', 'Prometheus can scrape the worker');

      for (const name of [...GATEWAY_REPLICAS, 'worker']) {
        const db = new URL(env(name).DATABASE_URL ?? '');
        assert.equal(db.hostname, 'postgres', `${name}: DATABASE_URL points at the postgres service`);
        assert.equal(service(name).depends_on?.postgres?.condition, 'service_healthy');
      }
    });

    test('Temporal: schema job before the server, then namespace and search attribute jobs, then the worker', () => {
      assert.match(service('temporal-schema-setup').image ?? '', /^temporalio\/admin-tools:/);
      assert.equal(service('temporal-schema-setup').depends_on?.postgres?.condition, 'service_healthy');
      assert.equal(
        service('temporal').depends_on?.['temporal-schema-setup']?.condition,
        'service_completed_successfully',
      );
      assert.equal(service('temporal-create-namespace').depends_on?.temporal?.condition, 'service_healthy');
      assert.equal(
        service('temporal-search-attributes').depends_on?.['temporal-create-namespace']?.condition,
        'service_completed_successfully',
      );
      const deps = service('worker').depends_on ?? {};
      assert.equal(deps['temporal-search-attributes']?.condition, 'service_completed_successfully');
      assert.equal(deps.gateway?.condition, 'service_healthy');

      // The job registers exactly the attributes the code sets on every tick, in the worker's namespace.
      const sa = env('temporal-search-attributes');
      assert.deepEqual(
        (sa.SEARCH_ATTRIBUTES ?? '').split(/\s+/).sort(),
        SEARCH_ATTRIBUTES.map((k) => k.name).sort(),
      );
      assert.equal(sa.TEMPORAL_NAMESPACE, env('worker').TEMPORAL_NAMESPACE);
      assert.equal(env('temporal-create-namespace').TEMPORAL_NAMESPACE, env('worker').TEMPORAL_NAMESPACE);
      assert.equal(env('temporal-ui').TEMPORAL_ADDRESS, 'temporal:7233');

      // The scripts and dynamic config the services mount exist.
      for (const name of [
        'temporal-schema-setup',
        'temporal-create-namespace',
        'temporal-search-attributes',
      ]) {
        const mount = service(name).volumes?.find((v) => v.target === '/scripts');
        assert.ok(mount, `${name} mounts the scripts`);
        const script = service(name).command?.[0] ?? '';
        readFileSync(path.join(mount.source, path.basename(script)), 'utf8');
      }
      const dyn = service('temporal').volumes?.find((v) => v.target === '/etc/temporal/config/dynamicconfig');
      assert.ok(dyn, 'the server mounts temporal-config/dynamicconfig');
      assert.equal(env('temporal').DYNAMIC_CONFIG_FILE_PATH, 'config/dynamicconfig/development.yaml');
      readFileSync(path.join(dyn.source, 'development.yaml'), 'utf8');
    });

    test('healthchecks: postgres, temporal, and /health on the gateway and the worker', () => {
      assert.ok(service('postgres').healthcheck?.test?.length, 'postgres has a healthcheck');
      assert.ok(service('temporal').healthcheck?.test?.length, 'temporal has a healthcheck');
      for (const name of [...GATEWAY_REPLICAS, 'gateway']) {
        const gw = (service(name).healthcheck?.test ?? []).join(' ');
        assert.match(gw, /:3069\/health/, `${name} checks /health`);
      }
      const wk = (service('worker').healthcheck?.test ?? []).join(' ');
      assert.match(wk, new RegExp(`:${env('worker').WORKER_METRICS_PORT}/health`));
    });

    test("Prometheus scrapes the gateway, the worker, the worker's Temporal SDK metrics and the Temporal server", () => {
      const mount = service('prometheus').volumes?.find((v) => v.target === '/etc/prometheus/prometheus.yml');
      assert.ok(mount, 'prometheus mounts its config file');
      const targets = scrapeTargets(readFileSync(mount.source, 'utf8'));
      const temporalMetricsPort = (env('temporal').PROMETHEUS_ENDPOINT ?? '').split(':')[1];
      for (const expected of [
        ...GATEWAY_REPLICAS.map((name) => `${name}:${env(name).GATEWAY_PORT}`),
        `worker:${env('worker').WORKER_METRICS_PORT}`,
        `worker:${env('worker').WORKER_SDK_METRICS_PORT}`,
        `temporal:${temporalMetricsPort}`,
      ]) {
        assert.ok(targets.includes(expected), `scrape target ${expected} (found: ${targets.join(', ')})`);
      }
    });

    test('Grafana is provisioned with the Prometheus datasource and the persona-runner dashboard', () => {
      const mounts = service('grafana').volumes ?? [];
      const provisioning = mounts.find((v) => v.target === '/etc/grafana/provisioning');
      const dashboards = mounts.find((v) => v.target === '/etc/grafana/dashboards');
      assert.ok(provisioning && dashboards, 'grafana mounts provisioning and dashboards');
      const datasource = readFileSync(
        path.join(provisioning.source, 'datasources', 'prometheus.yml'),
        'utf8',
      );
      assert.match(datasource, /url:\s*http:\/\/prometheus:9090/);
      const board = readFileSync(path.join(dashboards.source, 'persona-runner.json'), 'utf8');
      const exprs = (JSON.parse(board) as { panels: Array<{ targets?: Array<{ expr: string }> }> }).panels
        .flatMap((p) => p.targets ?? [])
        .map((t) => t.expr)
        .join('\n');
      for (const metric of [
        'persona_module_rating',
        'persona_action_errors_total',
        'gateway_tool_calls_total',
      ])
        assert.ok(exprs.includes(metric), `the dashboard charts ${metric}`);
    });

    test('secrets come from the environment, not from the file', () => {
      const values = Object.fromEntries(
        REQUIRED_SECRETS.map((k) => [k, `from-env-${randomBytes(8).toString('hex')}`]),
      );
      const c = render(values);
      assert.equal(c.services['gateway-1']?.environment?.VAULT_KEK, values.VAULT_KEK);
      assert.equal(c.services['gateway-2']?.environment?.VAULT_KEK, values.VAULT_KEK);
      assert.equal(c.services.worker?.environment?.PERSONA_SEED_SECRET, values.PERSONA_SEED_SECRET);
      assert.equal(c.services.postgres?.environment?.POSTGRES_PASSWORD, values.POSTGRES_PASSWORD);
      assert.equal(c.services.temporal?.environment?.POSTGRES_PWD, values.POSTGRES_PASSWORD);
      assert.equal(
        c.services.grafana?.environment?.GF_SECURITY_ADMIN_PASSWORD,
        values.GRAFANA_ADMIN_PASSWORD,
      );
      assert.ok(
        new URL(c.services.worker?.environment?.DATABASE_URL ?? '').password === values.POSTGRES_PASSWORD,
      );
      const raw = readFileSync(COMPOSE_FILE, 'utf8');
      for (const k of REQUIRED_SECRETS) {
        assert.ok(raw.includes(`\${${k}:?`), `${k} is required with \${${k}:?…}`);
        assert.ok(
          !raw.includes(exampleEnv.get(k) ?? '\0'),
          `${k}'s example value is not in docker-compose.yml`,
        );
      }
    });

    for (const secret of REQUIRED_SECRETS) {
      test(`without ${secret}, docker compose config fails and names it`, () => {
        const file = path.join(scratch, `without-${secret}.env`);
        const lines = readFileSync(EXAMPLE_ENV, 'utf8')
          .split('\n')
          .filter((l) => !l.startsWith(`${secret}=`));
        writeFileSync(file, lines.join('\n'));
        const r = composeConfig(file, ['--quiet']);
        assert.notEqual(r.status, 0, `docker compose config accepted a missing ${secret}`);
        assert.match(r.stderr, new RegExp(`\\b${secret}\\b`), `the error names ${secret}: ${r.stderr}`);

        // An empty value is as good as none (`:?` rejects both).
        writeFileSync(file, [...lines, `${secret}=`].join('\n'));
        const empty = composeConfig(file, ['--quiet']);
        assert.notEqual(empty.status, 0, `docker compose config accepted an empty ${secret}`);
        assert.match(empty.stderr, new RegExp(`\\b${secret}\\b`));
      });
    }
  });
}
