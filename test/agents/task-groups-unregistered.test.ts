// Without the app layer's task source (this file never imports the CLI), task groups are
// refused with a message saying what is missing.
import { describe, expect, it } from 'vitest';
import { problemSource } from '../../agents/env-factory.js';

describe('task groups without the registered source', () => {
  it('says the model zoo and the cost model are needed and how to get them', () => {
    expect(() =>
      problemSource({ kind: 'task-groups', task: 'mix', jobs: 10, platform: 'S2', bw: 16 }),
    ).toThrow(/task groups need the model zoo and the cost model: .*src\/cli\/task-source\.js/);
  });
});
