import { describe, expect, it } from 'vitest';
import { applySummarySentence, planSummarySentence } from './summary.js';

describe('planSummarySentence', () => {
  it('counts every action, imports first and only when there are some', () => {
    expect(planSummarySentence({ create: 8, rotate: 0, update: 1, delete: 2, import: 0 })).toBe('Plan: 8 to create, 0 to rotate, 1 to update, 2 to delete.');
    expect(planSummarySentence({ create: 0, rotate: 1, update: 0, delete: 0, import: 2 })).toBe(
      'Plan: 2 to import, 0 to create, 1 to rotate, 0 to update, 0 to delete.',
    );
  });

  it('styles only the leading word', () => {
    expect(planSummarySentence({ create: 1, rotate: 0, update: 0, delete: 0, import: 0 }, (l) => `<b>${l}</b>`)).toBe(
      '<b>Plan:</b> 1 to create, 0 to rotate, 0 to update, 0 to delete.',
    );
  });
});

describe('applySummarySentence', () => {
  it('says complete when every change ran, and names failed and skipped ones otherwise', () => {
    const done = { created: 2, rotated: 1, updated: 0, deleted: 1, failed: 0, skipped: 0 };
    expect(applySummarySentence(done)).toBe('Apply complete! Keys: 2 created, 1 rotated, 0 updated, 1 deleted.');
    expect(applySummarySentence({ ...done, skipped: 1 })).toBe(
      'Apply finished with errors. Keys: 2 created, 1 rotated, 0 updated, 1 deleted; 0 failed, 1 skipped.',
    );
  });
});
