import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileConditionTree } from './compile-condition-tree';
import { type ConditionEvaluator, type EvaluationUser, NO_ATTRIBUTE } from './evaluation-user';

type Tri = boolean | null;

const user: EvaluationUser = { attribute: () => NO_ATTRIBUTE, isQualifiedFor: () => false };

/** Leaves are the literal results they should evaluate to. */
function constantLeaf(leaf: Tri): ConditionEvaluator {
  return () => leaf;
}

function run(tree: unknown): Tri {
  return compileConditionTree<Tri>(tree, constantLeaf)(user);
}

/** The rules of §3.3, interpreted directly and recursively, as an independent oracle. */
function interpret(tree: unknown, leaf: (value: unknown) => Tri): Tri {
  if (!Array.isArray(tree)) return leaf(tree);
  const [head, ...rest] = tree as unknown[];
  const op = head === 'and' || head === 'or' || head === 'not' ? head : 'or';
  // An implicit or keeps a string first element (an audience id) and drops any other, as the JS SDK does.
  const operands = op === head || typeof head !== 'string' ? rest : (tree as unknown[]);
  if (op === 'not') {
    if (operands.length === 0) return null;
    const result = interpret(operands[0], leaf);
    return result === null ? null : !result;
  }
  const results = operands.map((child) => interpret(child, leaf));
  if (op === 'and') {
    if (results.includes(false)) return false;
    return results.includes(null) ? null : true;
  }
  if (results.includes(true)) return true;
  return results.includes(null) ? null : false;
}

const TRI: readonly Tri[] = [true, false, null];

function tuples(size: number): Tri[][] {
  if (size === 0) return [[]];
  return tuples(size - 1).flatMap((prefix) => TRI.map((value) => [...prefix, value]));
}

describe('compileConditionTree', () => {
  describe('truth tables', () => {
    for (const size of [0, 1, 2, 3, 4]) {
      it(`applies three-valued and/or to every combination of ${size} operands`, () => {
        for (const operands of tuples(size)) {
          const and = operands.includes(false) ? false : operands.includes(null) ? null : true;
          const or = operands.includes(true) ? true : operands.includes(null) ? null : false;
          expect(run(['and', ...operands])).toBe(and);
          expect(run(['or', ...operands])).toBe(or);
          // Without an operator, an array of non-string leaves is an implicit or over all but the
          // first element (the JS SDK takes it for the operator slot).
          const rest = operands.slice(1);
          const orOfRest = rest.includes(true) ? true : rest.includes(null) ? null : false;
          if (size > 0) expect(run(operands)).toBe(orOfRest);
        }
      });
    }

    it.each([
      [true, false],
      [false, true],
      [null, null],
    ])('negates %j into %j and keeps unknown unknown', (operand, expected) => {
      expect(run(['not', operand])).toBe(expected);
    });
  });

  it('treats an empty and as true, an empty or as false and an empty not as unknown', () => {
    expect(run(['and'])).toBe(true);
    expect(run(['or'])).toBe(false);
    expect(run(['not'])).toBeNull();
  });

  it('treats an empty array as an empty or', () => {
    expect(run([])).toBe(false);
  });

  it('evaluates a bare leaf on its own', () => {
    expect(run(true)).toBe(true);
    expect(run(null)).toBeNull();
  });

  it('uses only the first operand of not and never compiles the rest', () => {
    const compiled: unknown[] = [];
    const evaluator = compileConditionTree<string>(['not', 'a', 'b', 'c'], (leaf) => {
      compiled.push(leaf);
      return () => leaf === 'a';
    });
    expect(evaluator(user)).toBe(false);
    expect(compiled).toEqual(['a']);
  });

  it('treats an operator anywhere but first as a leaf', () => {
    const leaves: unknown[] = [];
    compileConditionTree<string>(['x', 'and', 'not'], (leaf) => {
      leaves.push(leaf);
      return () => null;
    });
    expect(leaves).toEqual(['x', 'and', 'not']);
  });

  it('drops a non-string first element from an implicit or, as the JS SDK does', () => {
    expect(run([['and', true], false])).toBe(false);
    expect(run([[false], null])).toBeNull();
    expect(run([true, false])).toBe(false);
    expect(run([false, true])).toBe(true);
  });

  it('nests operators', () => {
    expect(run(['and', ['or', false, true], ['not', false]])).toBe(true);
    expect(run(['or', ['and', true, null], ['not', true]])).toBeNull();
    expect(run(['not', ['and', true, ['or', false, false]]])).toBe(true);
  });

  it('stops at the first deciding operand, left to right', () => {
    for (const width of [2, 3, 5]) {
      const calls: number[] = [];
      const probe =
        (index: number, result: Tri): ConditionEvaluator =>
        () => {
          calls.push(index);
          return result;
        };
      const operands = Array.from({ length: width }, (_, i) => i);
      const decideAt = 1;
      const and = compileConditionTree<number>(['and', ...operands], (i) =>
        probe(i, i === decideAt ? false : null),
      );
      expect(and(user)).toBe(false);
      expect(calls).toEqual([0, 1]);
      calls.length = 0;
      const or = compileConditionTree<number>(['or', ...operands], (i) =>
        probe(i, i === decideAt ? true : null),
      );
      expect(or(user)).toBe(true);
      expect(calls).toEqual([0, 1]);
    }
  });

  it('compiles each leaf once however many times it evaluates', () => {
    let compiles = 0;
    const evaluator = compileConditionTree<Tri>(
      ['and', true, ['or', false, true], ['not', false]],
      (leaf) => {
        compiles++;
        return () => leaf;
      },
    );
    for (let i = 0; i < 5; i++) expect(evaluator(user)).toBe(true);
    expect(compiles).toBe(4);
  });

  it('agrees with a naive recursive interpreter on random trees', () => {
    const leaf = fc.constantFrom<Tri>(true, false, null);
    const { tree } = fc.letrec<{ tree: unknown; node: unknown }>((tie) => ({
      tree: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('node')),
      node: fc
        .tuple(
          fc.constantFrom<string | null>('and', 'or', 'not', 'x', null),
          fc.array(tie('tree'), { maxLength: 5 }),
        )
        .map(([head, children]) => (head === null ? children : [head, ...children])),
    }));
    fc.assert(
      fc.property(tree, (t) => {
        // 'x' leaves are unknown to the tree: both sides must map them the same way.
        const leafValue = (value: unknown): Tri => (value === true || value === false ? value : null);
        const compiled = compileConditionTree<unknown>(t, (value) => () => leafValue(value));
        expect(compiled(user)).toBe(interpret(t, leafValue));
      }),
      { numRuns: 3000 },
    );
  });
});
