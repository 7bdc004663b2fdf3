/**
 * How many of the distinct job shapes in the MAGMA authors' groups (models/data/magma) our
 * zoo reproduces, with the task pools the groups are sampled from and the `magma` encoding.
 * Vision: all but the two 1x1 convolutions of GoogLeNet's training-only auxiliary heads
 * (128x512 and 128x528 at 4x4), which torchvision builds only for training.
 * Language: the authors also used BERT-base at 512 tokens and 1024-hidden models at one
 * token (FC jobs, e.g. GPT-2 medium's 3072x1024); our pool holds the paper's 20 tokens.
 * Recommendation: the authors' MLP widths (2048, 4096 ...) are not those of the published
 * DLRM, NCF, DIN and Wide & Deep configurations our zoo follows.
 */
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { type TaskName, taskPool } from '../../models/tasks.js';
import type { Job } from '../../src/workload/layer.js';
import { formatMagmaCsv, parseMagmaCsv } from '../../src/workload/magma-csv.js';

const GROUPS_PER_TASK = 10;

/** Shape key: the CSV row without threadId and layerId. */
function shapes(jobs: readonly Job[]): Set<string> {
  return new Set(
    formatMagmaCsv(jobs)
      .trim()
      .split('\n')
      .map((row) => row.split(',').slice(2).join(',')),
  );
}

function coverage(folder: string, task: TaskName) {
  const theirs = new Set<string>();
  for (let k = 0; k < GROUPS_PER_TASK; k++) {
    const path = `models/data/magma/${folder}/insts${k}.csv`;
    for (const s of shapes(parseMagmaCsv(readFileSync(path, 'utf8'), path))) theirs.add(s);
  }
  const ours = shapes(taskPool(task));
  const missing = [...theirs].filter((s) => !ours.has(s)).sort();
  const share = (theirs.size - missing.length) / theirs.size;
  console.log(
    `magma ${folder}: ${theirs.size - missing.length}/${theirs.size} distinct shapes reproduced (${(100 * share).toFixed(1)}%)` +
      (missing.length ? `; missing (K,C,Y,X,R,S,T): ${missing.join(' | ')}` : ''),
  );
  return { share, missing, distinct: theirs.size };
}

test('vision: at least 90% of the distinct shapes of the conv groups', () => {
  const c = coverage('conv', 'vision');
  expect(c.distinct).toBe(234);
  expect(c.share).toBeGreaterThanOrEqual(0.9);
  expect(c.missing).toEqual(['128,512,4,4,1,1,1', '128,528,4,4,1,1,1']);
});

test('language: the 20-token GEMMs and the poolers (FC) of the paper models', () => {
  const c = coverage('lang', 'language');
  expect(c.distinct).toBe(29);
  expect(c.share).toBeGreaterThanOrEqual(22 / 29);
});

test('recommendation: reported for information (different MLP widths)', () => {
  const c = coverage('recom', 'recommendation');
  expect(c.distinct).toBe(29);
  expect(c.share).toBeGreaterThanOrEqual(11 / 29);
});

test('mix: the union of the three pools', () => {
  const c = coverage('mix', 'mix');
  expect(c.share).toBeGreaterThan(0.75);
});
