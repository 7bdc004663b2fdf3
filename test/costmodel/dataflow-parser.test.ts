import { describe, expect, it } from 'vitest';
import { DLA } from '../../src/costmodel/builtin-dataflows.js';
import { parseDataflow } from '../../src/costmodel/dataflow-parser.js';
import { DIM } from '../../src/costmodel/dims.js';
import { compileDataflow } from '../../src/costmodel/levels.js';

const err = (text: string) => {
  try {
    parseDataflow(text, 'mine');
  } catch (e) {
    return (e as Error).message;
  }
  return 'no error';
};

describe('dataflow parser', () => {
  it('parses the built-in dla dataflow into directives', () => {
    const df = parseDataflow(DLA, 'dla');
    expect(df.directives.map((d) => d.kind)).toEqual([
      'map',
      'map',
      'map',
      'map',
      'map',
      'map',
      'cluster',
      'map',
    ]);
    const first = df.directives[0]!;
    expect(first).toMatchObject({
      kind: 'map',
      spatial: true,
      dim: DIM.K,
      size: { kind: 'int', value: 1 },
      pos: { line: 2, column: 1 },
    });
    expect(df.directives[4]).toMatchObject({
      size: { kind: 'size', dim: DIM.R },
      offset: { kind: 'int', value: 1 },
      dim: DIM.Y,
    });
  });

  it("accepts a Dataflow { } wrapper, comments, constants and output-centric Y'", () => {
    const df = parseDataflow(
      `Constant T 4; // tile
       /* block
          comment */
       Dataflow {
         SpatialMap(Sz(R), Sz(R)) Y';   # shell-style comment too
         TemporalMap(T, T) K;
         Cluster(ClusterSz, P);
         SpatialMap(1,1) X';
       }`,
      'mine',
    );
    expect(df.constants.get('T')).toBe(4);
    expect(df.directives.map((d) => (d.kind === 'map' ? d.dim : 'cluster'))).toEqual([
      DIM.YO,
      DIM.K,
      'cluster',
      DIM.XO,
    ]);
  });

  it('reports syntax errors with line and column', () => {
    expect(err('SpatialMap(1,1) K;\nTemporalMap(2 2) C;')).toBe(
      'dataflow "mine" line 2, column 15: expected "," between map size and offset, got "2"',
    );
    expect(err('SpatialMap(1,1) K')).toMatch(
      /line 1, column 18: expected ";" at the end of the directive, got end of text/,
    );
    expect(err('SpatialMap(1,1) N;')).toMatch(
      /line 1, column 17: unknown dimension "N" \(the batch dimension N is not supported/,
    );
    expect(err('SpatialMap(0,1) K;')).toMatch(
      /line 1, column 12: the map size must be a positive integer, got 0/,
    );
    expect(err('SpatialMap(1.5,1) K;')).toMatch(/line 1, column 12: expected an integer, got "1.5"/);
    expect(err('Cluster(4, Q);')).toMatch(/line 1, column 12: cluster type must be P or L, got "Q"/);
    expect(err('Foo(1,1) K;')).toMatch(
      /line 1, column 1: expected SpatialMap, TemporalMap or Cluster, got "Foo"/,
    );
    expect(err('/* open')).toMatch(/line 1, column 1: unterminated \/\* comment/);
    expect(err('Constant ClusterSz 8; SpatialMap(1,1) K;')).toMatch(
      /ClusterSz is set by the core's cluster size/,
    );
    expect(err('Cluster(4, P);')).toMatch(/has no SpatialMap or TemporalMap directive/);
    expect(err('SpatialMap(1,1) K; @')).toMatch(/line 1, column 20: unexpected character "@"/);
  });

  it('rejects structurally invalid dataflows when compiled, naming the place', () => {
    const compileErr = (text: string, type: 'CONV' | 'DSCONV' = 'CONV') => {
      try {
        compileDataflow(parseDataflow(text, 'mine'), type);
      } catch (e) {
        return (e as Error).message;
      }
      return 'no error';
    };
    expect(compileErr('TemporalMap(1,1) K;')).toBe(
      'dataflow "mine": has no SpatialMap (every cluster level needs one)',
    );
    expect(compileErr('SpatialMap(1,1) K; Cluster(8,P); TemporalMap(1,1) C;')).toBe(
      'dataflow "mine": cluster level 2 of 2 has no SpatialMap (every cluster level needs one)',
    );
    expect(compileErr('SpatialMap(1,1) K; SpatialMap(1,1) C; SpatialMap(1,1) Y;')).toMatch(
      /has 3 SpatialMaps \(at most 2\)/,
    );
    expect(compileErr('SpatialMap(1,1) K;\nTemporalMap(2,2) K;')).toMatch(
      /line 2, column 1: K is mapped twice in one cluster level \(first at line 1\)/,
    );
    expect(compileErr("SpatialMap(1,1) Y;\nTemporalMap(2,2) Y';")).toMatch(
      /line 2, column 1: Y' and Y are both mapped in one cluster level/,
    );
    expect(compileErr('SpatialMap(T,1) K;')).toMatch(/line 1, column 12: unknown constant "T"/);
    expect(compileErr('SpatialMap(1,1) K;', 'DSCONV')).toMatch(
      /maps K, but depth-wise layers have no K dimension/,
    );
  });
});
