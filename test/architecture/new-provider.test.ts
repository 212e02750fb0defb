/**
 * A new provider needs its module and one registry entry, nothing else: the in-memory fake
 * provider, added to a registry beside the shipped ones, is validated (schema from its
 * fragments, its offline checks), planned, applied and planned again through the engine.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Workspace } from '../../src/engine.js';
import { ConfigError } from '../../src/errors/errors.js';
import { FakeCloud, createFakeProvider } from '../../src/providers/fake/index.js';
import { ProviderRegistry, SHIPPED_PROVIDERS } from '../../src/providers/registry.js';
import { silentReporter } from '../../src/report/reporter.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function project(keysYaml: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'keyplan-new-provider-'));
  dirs.push(dir);
  const file = path.join(dir, 'keys.yaml');
  writeFileSync(file, keysYaml);
  return file;
}

const CONFIG = `version: 1
providers:
  vault9: { type: fake, page_size: 1 }
keys:
  - name: build-bot
    kind: fake.token
    provider: vault9
    owner_name: ci
    label: builds
    outputs: [{ type: file, path: out/build-bot.token }]
  - name: deploy-bot
    kind: fake.token
    provider: vault9
    owner_name: ci
    depends_on: [build-bot]
    outputs: [{ type: env_file, path: out/deploy.env, prefix: DEPLOY_ }]
`;

function open(file: string, cloud: FakeCloud): Promise<Workspace> {
  const providers = new ProviderRegistry([...SHIPPED_PROVIDERS, createFakeProvider(cloud)]);
  return Workspace.open(file, { env: {}, reporter: silentReporter, providers }, { checkEnv: true });
}

describe('a provider added through the registry alone', () => {
  it('validates, plans, applies and converges', async () => {
    const cloud = new FakeCloud();
    const file = project(CONFIG);
    const ws = await open(file, cloud);
    try {
      const outcome = await ws.planAndApply({}, {});
      expect(outcome.kind).toBe('applied');
      expect(outcome.plan.changes.map((c) => [c.address, c.action])).toEqual([
        ['fake.token.build-bot', 'create'],
        ['fake.token.deploy-bot', 'create'],
      ]);
      expect(
        cloud
          .keys()
          .map((k) => k.marker)
          .sort(),
      ).toEqual(['build-bot', 'deploy-bot']);
      // The secret went to the declared outputs and to nowhere else keyplan writes.
      const token = readFileSync(path.join(path.dirname(file), 'out/build-bot.token'), 'utf8');
      expect(cloud.issuedSecrets).toContain(token);
      expect(readFileSync(path.join(path.dirname(file), 'out/deploy.env'), 'utf8')).toMatch(/^DEPLOY_TOKEN=/m);
      const state = readFileSync(path.join(path.dirname(file), '.keyplan/state.json'), 'utf8');
      for (const secret of cloud.issuedSecrets) expect(state).not.toContain(secret);
      const again = await ws.planLocked();
      expect(again.plan.changes).toEqual([]);
    } finally {
      await ws.close();
    }
  });

  it('rejects its blocks and keys by its own schema fragments and offline checks, at their place', async () => {
    const cloud = new FakeCloud();
    const bad = CONFIG.replace('page_size: 1', 'page_size: 1, colour: red').replace(
      '    owner_name: ci\n    depends_on',
      '    owner_name: ci\n    label: builds\n    depends_on',
    );
    await expect(open(project(bad), cloud)).rejects.toThrow(ConfigError);
    const schemaError = await open(project(bad), cloud).catch((e: ConfigError) => e.diagnostics.map((d) => `${d.range?.line}: ${d.message}`));
    expect(schemaError).toEqual(['3: unknown field "colour" (allowed: type, page_size, max_concurrency, requests_per_second)']);
    const offline = await open(
      project(CONFIG.replace('    owner_name: ci\n    depends_on', '    owner_name: ci\n    label: builds\n    depends_on')),
      cloud,
    ).catch((e: ConfigError) => e.diagnostics.map((d) => `${d.code} ${d.path}:${d.range?.line}: ${d.message}`));
    expect(offline).toEqual(['KP_FAKE_E0001 keys[1].label:15: key "deploy-bot": label "builds" is already used by key "build-bot" of owner "ci"']);
    expect(cloud.calls.create).toBe(0);
  });

  it('finds a create that died after the provider acted, even once its key left keys.yaml', async () => {
    const cloud = new FakeCloud();
    const only = CONFIG.slice(0, CONFIG.indexOf('  - name: deploy-bot'));
    const file = project(only);
    let ws = await open(file, cloud);
    cloud.failNext('create', { when: 'after-mutation-crash' });
    try {
      const outcome = await ws.planAndApply({}, {});
      expect(outcome.kind === 'applied' && outcome.result.counts.failed).toBe(1);
    } finally {
      await ws.close();
    }
    expect(cloud.keys().map((k) => k.marker)).toEqual(['build-bot']);
    // No key of the block is declared or recorded any more; its journalled create is still read.
    writeFileSync(file, only.slice(0, only.indexOf('keys:')) + 'keys: []\n');
    ws = await open(file, cloud);
    try {
      const { plan } = await ws.planLocked();
      expect(plan.changes.map((c) => [c.name, c.action, c.reason])).toEqual([['build-bot', 'delete', 'interrupted_create']]);
      await ws.planAndApply({}, {});
      expect(cloud.keys()).toEqual([]);
    } finally {
      await ws.close();
    }
  });

  it('is unknown to a registry without it', async () => {
    const file = project(CONFIG);
    const error = await Workspace.open(file, { env: {}, reporter: silentReporter }, { checkEnv: true }).catch((e: ConfigError) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).diagnostics.map((d) => d.message)).toContain('must be one of: oci, outscale, dataos');
  });
});
