/**
 * Parser for dataflows in MAESTRO's notation:
 *
 *   Constant TileK 4;            // optional constants
 *   Dataflow {                   // optional wrapper, as in MAESTRO's mapping files
 *     SpatialMap(1,1) K;
 *     TemporalMap(ClusterSz,ClusterSz) C;
 *     TemporalMap(Sz(R),1) Y;
 *     Cluster(ClusterSz, P);
 *     SpatialMap(1,1) Y';
 *   }
 *
 * A size or offset is an integer, a constant name, or `Sz(D)` (the layer's size of D).
 * `ClusterSz` is supplied by the core. Every error names the line and column.
 */
import { InputError } from '../core/errors.js';
import { DIM_NAMES, type DimId, dimId } from './dims.js';

export interface SourcePos {
  readonly line: number;
  readonly column: number;
}

export type SizeExpr =
  | { readonly kind: 'int'; readonly value: number; readonly pos: SourcePos }
  | { readonly kind: 'const'; readonly name: string; readonly pos: SourcePos }
  | { readonly kind: 'size'; readonly dim: DimId; readonly pos: SourcePos };

export type DirectiveNode =
  | {
      readonly kind: 'map';
      readonly spatial: boolean;
      readonly size: SizeExpr;
      readonly offset: SizeExpr;
      readonly dim: DimId;
      readonly pos: SourcePos;
    }
  | { readonly kind: 'cluster'; readonly size: SizeExpr; readonly pos: SourcePos };

export interface ParsedDataflow {
  readonly name: string;
  readonly directives: readonly DirectiveNode[];
  /** Constants defined in the text. */
  readonly constants: ReadonlyMap<string, number>;
}

/** The constant every dataflow may use; its value is the core's cluster size. */
export const CLUSTER_SIZE_CONSTANT = 'ClusterSz';

interface Token {
  readonly kind: 'ident' | 'int' | 'punct' | 'eof';
  readonly text: string;
  readonly pos: SourcePos;
}

const PUNCT = new Set(['(', ')', ',', ';', '{', '}']);

function tokenize(text: string, fail: (pos: SourcePos, msg: string) => never): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let col = 1;
  let i = 0;
  const advance = (n: number) => {
    for (let k = 0; k < n; k++) {
      if (text[i] === '\n') {
        line++;
        col = 1;
      } else col++;
      i++;
    }
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n') {
      advance(1);
    } else if (ch === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') advance(1);
    } else if (ch === '#') {
      while (i < text.length && text[i] !== '\n') advance(1);
    } else if (ch === '/' && text[i + 1] === '*') {
      const start = { line, column: col };
      const end = text.indexOf('*/', i + 2);
      if (end < 0) fail(start, 'unterminated /* comment');
      advance(end + 2 - i);
    } else if (PUNCT.has(ch)) {
      tokens.push({ kind: 'punct', text: ch, pos: { line, column: col } });
      advance(1);
    } else if (/[0-9]/.test(ch)) {
      const m = /^[0-9]+/.exec(text.slice(i))![0];
      const pos = { line, column: col };
      if (/[A-Za-z_.]/.test(text[i + m.length] ?? '')) {
        fail(pos, `expected an integer, got "${/^[0-9A-Za-z_.]+/.exec(text.slice(i))![0]}"`);
      }
      tokens.push({ kind: 'int', text: m, pos });
      advance(m.length);
    } else if (/[A-Za-z_]/.test(ch)) {
      // Identifiers may end in a prime: Y' and X' are the output rows and columns.
      const m = /^[A-Za-z_][A-Za-z0-9_]*'?/.exec(text.slice(i))![0];
      tokens.push({ kind: 'ident', text: m, pos: { line, column: col } });
      advance(m.length);
    } else {
      fail({ line, column: col }, `unexpected character "${ch}"`);
    }
  }
  tokens.push({ kind: 'eof', text: 'end of text', pos: { line, column: col } });
  return tokens;
}

/** Parses dataflow text; `name` is used in error messages. */
export function parseDataflow(text: string, name: string): ParsedDataflow {
  const fail = (pos: SourcePos, msg: string): never => {
    throw new InputError(`dataflow "${name}" line ${pos.line}, column ${pos.column}: ${msg}`);
  };
  const tokens = tokenize(text, fail);
  let p = 0;
  const peek = () => tokens[p]!;
  const next = () => tokens[p++]!;
  const show = (t: Token) => (t.kind === 'eof' ? 'end of text' : `"${t.text}"`);
  const expect = (text: string, what: string): Token => {
    const t = next();
    if (t.text !== text || t.kind === 'eof') fail(t.pos, `expected "${text}" ${what}, got ${show(t)}`);
    return t;
  };
  const constants = new Map<string, number>();
  const directives: DirectiveNode[] = [];

  const parseDim = (context: string): DimId => {
    const t = next();
    if (t.kind !== 'ident') fail(t.pos, `expected a dimension ${context}, got ${show(t)}`);
    const id = dimId(t.text);
    if (id === undefined) {
      const hint = t.text === 'N' ? ' (the batch dimension N is not supported: stride 1, no batch)' : '';
      fail(t.pos, `unknown dimension "${t.text}"${hint}; expected one of ${DIM_NAMES.join(', ')}`);
    }
    return id!;
  };

  const parseExpr = (what: string): SizeExpr => {
    const t = next();
    if (t.kind === 'int') {
      const v = Number(t.text);
      if (!(v >= 1) || !Number.isSafeInteger(v))
        fail(t.pos, `${what} must be a positive integer, got ${t.text}`);
      return { kind: 'int', value: v, pos: t.pos };
    }
    if (t.kind === 'ident' && t.text === 'Sz') {
      expect('(', 'after Sz');
      const dim = parseDim('inside Sz(...)');
      expect(')', 'to close Sz(...');
      return { kind: 'size', dim, pos: t.pos };
    }
    if (t.kind === 'ident') return { kind: 'const', name: t.text, pos: t.pos };
    return fail(t.pos, `expected ${what} (an integer, a constant or Sz(dim)), got ${show(t)}`);
  };

  const parseDirective = (): void => {
    const t = next();
    if (t.text === 'SpatialMap' || t.text === 'TemporalMap') {
      expect('(', `after ${t.text}`);
      const size = parseExpr('the map size');
      expect(',', 'between map size and offset');
      const offset = parseExpr('the offset');
      expect(')', `to close ${t.text}(size, offset)`);
      const dim = parseDim(`after ${t.text}(...)`);
      expect(';', 'at the end of the directive');
      directives.push({ kind: 'map', spatial: t.text === 'SpatialMap', size, offset, dim, pos: t.pos });
    } else if (t.text === 'Cluster') {
      expect('(', 'after Cluster');
      const size = parseExpr('the cluster size');
      if (peek().text === ',') {
        next();
        const type = next();
        // MAESTRO accepts physical (P) and logical (L) clusters and treats them alike.
        if (type.text !== 'P' && type.text !== 'L')
          fail(type.pos, `cluster type must be P or L, got ${show(type)}`);
      }
      expect(')', 'to close Cluster(size, P)');
      expect(';', 'at the end of the directive');
      directives.push({ kind: 'cluster', size, pos: t.pos });
    } else {
      fail(t.pos, `expected SpatialMap, TemporalMap or Cluster, got ${show(t)}`);
    }
  };

  let sawDataflowBlock = false;
  while (peek().kind !== 'eof') {
    const t = peek();
    if (t.text === 'Constant') {
      next();
      const id = next();
      if (id.kind !== 'ident') fail(id.pos, `expected a constant name, got ${show(id)}`);
      if (id.text === CLUSTER_SIZE_CONSTANT)
        fail(id.pos, `${CLUSTER_SIZE_CONSTANT} is set by the core's cluster size`);
      const v = next();
      if (v.kind !== 'int' || !(Number(v.text) >= 1))
        fail(v.pos, `constant ${id.text} must be a positive integer, got ${show(v)}`);
      expect(';', `after the value of constant ${id.text}`);
      constants.set(id.text, Number(v.text));
    } else if (t.text === 'Dataflow') {
      if (sawDataflowBlock) fail(t.pos, 'only one Dataflow { ... } block is allowed');
      sawDataflowBlock = true;
      next();
      expect('{', 'after Dataflow');
      while (peek().text !== '}' && peek().kind !== 'eof') parseDirective();
      expect('}', 'to close Dataflow {');
    } else {
      parseDirective();
    }
  }
  if (!directives.some((d) => d.kind === 'map'))
    fail(peek().pos, 'the dataflow has no SpatialMap or TemporalMap directive');
  return { name, directives, constants };
}
