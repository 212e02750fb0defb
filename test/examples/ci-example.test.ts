/**
 * The CI example is what people copy into their pipelines, so it is held to what a security
 * review asks: pull requests (and forks) reach only read-only identities, managing credentials
 * live in a protected environment, every job has the least permissions it needs.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// The Node.js Active LTS line in December 2026 (Node 26 entered LTS in October 2026).
const CURRENT_NODE_LTS = 26;

interface Step {
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  if?: string;
  environment?: string | { name: string };
  permissions?: Record<string, string>;
  env?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  jobs: Record<string, Job>;
}

const file = fileURLToPath(new URL('../../examples/ci/github-actions.yml', import.meta.url));
const text = readFileSync(file, 'utf8');
const workflow = parse(text) as Workflow;
const { plan, apply, drift } = workflow.jobs;

/** The names of the `secrets.X` a job can read (anywhere in its definition). */
function secretsOf(job: Job): string[] {
  return [...JSON.stringify(job).matchAll(/secrets\.([A-Z0-9_]+)/g)].map((m) => m[1]!).sort();
}
const scripts = (job: Job): string => job.steps.map((s) => `${s.run ?? ''}\n${String(s.with?.script ?? '')}`).join('\n');

describe('examples/ci/github-actions.yml', () => {
  it('has a plan, an apply and a scheduled drift job', () => {
    expect(Object.keys(workflow.jobs).sort()).toEqual(['apply', 'drift', 'plan']);
    expect(workflow.on).toHaveProperty('schedule');
  });

  it('gives forks no secrets: pull_request (never pull_request_target), and plan skips forks', () => {
    expect(workflow.on).toHaveProperty('pull_request');
    expect(Object.keys(workflow.on)).not.toContain('pull_request_target');
    expect(plan!.if).toMatch(/github\.event\.pull_request\.head\.repo\.full_name == github\.repository/);
  });

  it('lets plan and drift read only the read-only identities, no passphrase and no store token', () => {
    for (const job of [plan!, drift!]) {
      const secrets = secretsOf(job);
      expect(secrets.length).toBeGreaterThan(0);
      for (const s of secrets) expect(s, `${s} in a job pull requests or schedules run`).toMatch(/^KEYPLAN_RO_/);
      expect(JSON.stringify(job)).not.toMatch(/PASSPHRASE|VAULT_TOKEN|KEYPLAN_GITHUB_TOKEN/);
      expect(job.environment).toBeUndefined();
    }
    // All four providers' read-only identities: OCI (IAM and BDS), OUTSCALE, DataOS.
    expect(secretsOf(plan!)).toEqual(expect.arrayContaining(['KEYPLAN_RO_OCI_PRIVATE_KEY', 'KEYPLAN_RO_OSC_SECRET_KEY', 'KEYPLAN_RO_DATAOS_TOKEN']));
  });

  it('keeps the managing credentials in the apply job, which runs in a protected environment', () => {
    expect(apply!.environment).toBe('keyplan-apply');
    expect(text).toMatch(/required reviewers/i);
    const managing = secretsOf(apply!).filter((s) => !s.startsWith('KEYPLAN_RO_'));
    expect(managing).toEqual(expect.arrayContaining(['KEYPLAN_OCI_PRIVATE_KEY', 'KEYPLAN_OSC_SECRET_KEY', 'KEYPLAN_DATAOS_TOKEN', 'KEYPLAN_VAULT_TOKEN']));
    expect(secretsOf(apply!).filter((s) => s.startsWith('KEYPLAN_RO_'))).toEqual([]);
  });

  it('grants each job only the permissions it needs, and no job may write contents', () => {
    expect(workflow.permissions).toEqual({ contents: 'read' });
    expect(plan!.permissions).toEqual({ contents: 'read', 'pull-requests': 'write' });
    expect(apply!.permissions).toEqual({ contents: 'read', actions: 'read', 'pull-requests': 'read' });
    expect(drift!.permissions).toEqual({ contents: 'read' });
    // Each job's permissions are explained in the header comment.
    for (const name of ['plan', 'apply', 'drift']) expect(text.slice(0, text.indexOf('\nname:'))).toMatch(new RegExp(`^# - ${name} `, 'm'));
  });

  it('keeps state in postgres and commits nothing back', () => {
    expect(text).toMatch(/backend: postgres/);
    for (const job of Object.values(workflow.jobs)) expect(scripts(job)).not.toMatch(/git (commit|push)/);
  });

  it('finds and updates its plan comment by a hidden marker, and posts plan errors too', () => {
    for (const job of Object.values(workflow.jobs)) expect(scripts(job)).not.toMatch(/--edit-last/);
    const comment = plan!.steps.find((s) => String(s.with?.script ?? '').includes('<!-- keyplan-plan -->'));
    expect(comment?.uses).toMatch(/^actions\/github-script@v\d+$/);
    expect(String(comment?.with?.script)).toMatch(/updateComment/);
    expect(comment?.if).toMatch(/always\(\)/);
    expect(scripts(plan!)).toMatch(/keyplan plan failed/);
  });

  it('uses has_changes from plan --detailed-exitcode', () => {
    expect(scripts(plan!)).toMatch(/keyplan plan .*--detailed-exitcode/);
    expect(JSON.stringify(plan)).toMatch(/has_changes/);
  });

  it('checks drift and keys coming due on a schedule', () => {
    expect(drift!.if).toMatch(/schedule/);
    expect(scripts(drift!)).toMatch(/keyplan plan --detailed-exitcode/);
    expect(scripts(drift!)).toMatch(/keyplan status --expiring-within 14d/);
  });

  it('runs the current Node.js LTS and pins every action at least by major version', () => {
    for (const [name, job] of Object.entries(workflow.jobs)) {
      const setup = job.steps.find((s) => s.uses?.startsWith('actions/setup-node@'));
      expect(setup?.with?.['node-version'], name).toBe(CURRENT_NODE_LTS);
      for (const step of job.steps.filter((s) => s.uses !== undefined)) expect(step.uses).toMatch(/@(v\d+(\.\d+)*|[0-9a-f]{40})$/);
    }
  });
});
