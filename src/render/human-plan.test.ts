import { describe, expect, it } from 'vitest';
import { plan } from '../plan/planner.js';
import { USER_A, createIntent, desired, live, options, record, retiring, snapshot, state } from '../../test/helpers/plan-fixtures.js';
import { renderPlanHuman } from './human.js';

describe('renderPlanHuman on planner output', () => {
  it('shows a quota-forced delete-first rotation with its note, and the unmanaged key', () => {
    const p = plan(
      [desired('a'), desired('b')],
      snapshot([live('a1'), live('b1'), live('12:34')]),
      state([record('a', 'a1'), record('b', 'b1')]),
      options({ rotate: ['a'] }),
    );
    expect(renderPlanHuman(p, { color: false })).toBe(`Key actions are indicated with the following symbols:
-/+ rotate: delete the old key, then create the new one

keyplan will perform the following actions:

  # oci.api_key.a will be rotated, as requested
-/+ oci.api_key "a" {
        bits        = 2048
      ~ fingerprint = "a1" -> (known after apply)
      ~ private_key = (sensitive value)
        user        = "${USER_A}"
        # (user ${USER_A} has 3 of 3 key slots in use: the old key is deleted before the new one is created)
    }

Unmanaged keys (not in keys.yaml; keyplan leaves them alone):
  oci.api_key 12:34 (owner ${USER_A}, active, created 2025-05-31T00:00:00.000Z)

Rotation phases (before this apply):
  oci.api_key.a
    current a1: created; next: deleted (due now)

Plan: 0 to create, 1 to rotate, 0 to update, 0 to delete.
`);
  });

  it('explains drift, retirement and interrupted creates in words', () => {
    const p = plan(
      [desired('drifted'), desired('overlapped')],
      snapshot([live('o0'), live('o1'), live('xx')]),
      state([record('drifted', 'd1'), record('overlapped', 'o1', { retiring: [retiring('o0', -1)] })], [createIntent('lost', 'xx')]),
      options(),
    );
    const headlines = renderPlanHuman(p, { color: false })
      .split('\n')
      .filter((l) => l.startsWith('  # '));
    expect(headlines).toEqual([
      '  # oci.api_key.drifted will be created (its key was deleted outside keyplan)',
      '  # oci.api_key.lost will be deleted (created by an interrupted apply and never recorded)',
      '  # oci.api_key.overlapped will retire its old key (the rotation overlap has ended)',
    ]);
    expect(renderPlanHuman(p, { color: false }).trimEnd().split('\n').at(-1)).toBe('Plan: 1 to create, 0 to rotate, 0 to update, 2 to delete.');
  });
});
