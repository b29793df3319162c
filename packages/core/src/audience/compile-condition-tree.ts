import type { ConditionTree } from '../datafile/datafile';
import { fitted } from '../util/fitted';
import type { ConditionEvaluator } from './evaluation-user';

const ALWAYS_TRUE: ConditionEvaluator = () => true;
const ALWAYS_FALSE: ConditionEvaluator = () => false;
const ALWAYS_NULL: ConditionEvaluator = () => null;

function compileAnd(children: readonly ConditionEvaluator[]): ConditionEvaluator {
  const [first, second] = children;
  if (first === undefined) return ALWAYS_TRUE; // vacuous truth
  // With one child, "false if false, null if null, else true" is the child itself.
  if (second === undefined) return first;
  if (children.length === 2) {
    return (user) => {
      const a = first(user);
      if (a === false) return false;
      const b = second(user);
      if (b === false) return false;
      return a === null || b === null ? null : true;
    };
  }
  return (user) => {
    let sawNull = false;
    for (let i = 0; i < children.length; i++) {
      const result = children[i]!(user);
      if (result === false) return false;
      if (result === null) sawNull = true;
    }
    return sawNull ? null : true;
  };
}

function compileOr(children: readonly ConditionEvaluator[]): ConditionEvaluator {
  const [first, second] = children;
  if (first === undefined) return ALWAYS_FALSE;
  if (second === undefined) return first;
  if (children.length === 2) {
    return (user) => {
      const a = first(user);
      if (a === true) return true;
      const b = second(user);
      if (b === true) return true;
      return a === null || b === null ? null : false;
    };
  }
  return (user) => {
    let sawNull = false;
    for (let i = 0; i < children.length; i++) {
      const result = children[i]!(user);
      if (result === true) return true;
      if (result === null) sawNull = true;
    }
    return sawNull ? null : false;
  };
}

function compileNot(child: ConditionEvaluator): ConditionEvaluator {
  return (user) => {
    const result = child(user);
    return result === null ? null : !result;
  };
}

function compileChildren<Leaf>(
  nodes: readonly unknown[],
  start: number,
  compileLeaf: (leaf: Leaf) => ConditionEvaluator,
): ConditionEvaluator[] {
  const children: ConditionEvaluator[] = [];
  for (let i = start; i < nodes.length; i++) children.push(compileNode(nodes[i], compileLeaf));
  return fitted(children);
}

function compileNode<Leaf>(
  node: unknown,
  compileLeaf: (leaf: Leaf) => ConditionEvaluator,
): ConditionEvaluator {
  if (!Array.isArray(node)) return compileLeaf(node as Leaf);
  const nodes: readonly unknown[] = node;
  switch (nodes[0]) {
    case 'and':
      return compileAnd(compileChildren(nodes, 1, compileLeaf));
    case 'or':
      return compileOr(compileChildren(nodes, 1, compileLeaf));
    case 'not':
      // Only the first operand counts; the rest are ignored (and not even compiled).
      return nodes.length > 1 ? compileNot(compileNode(nodes[1], compileLeaf)) : ALWAYS_NULL;
    default:
      // No operator: an implicit `or`. Like Optimizely's JS SDK (which users swap us in for), a
      // first element that is not a string (a leaf object or a nested array) is taken for the
      // operator slot and dropped; a string first element (an audience id) is kept.
      return compileOr(compileChildren(nodes, typeof nodes[0] === 'string' ? 0 : 1, compileLeaf));
  }
}

/**
 * Compiles a condition tree into one evaluator, with Optimizely's three-valued logic:
 * - an array starting with `"and"`, `"or"` or `"not"` applies it to the rest; any other array is
 *   an implicit `or` (over all its elements when the first is a string, else over the rest, as
 *   the JS SDK does); anything else is a leaf, compiled by `compileLeaf`;
 * - `and` is false if any child is false, else unknown (`null`) if any is unknown, else true;
 * - `or` is true if any child is true, else unknown if any is unknown, else false;
 * - `not` negates its first child only and keeps unknown; an empty `not` is unknown;
 * - an empty `and` is true and an empty `or` is false.
 *
 * Children are evaluated left to right and stop at the first deciding result. The tree is turned
 * into nested closures once, so evaluation never walks or inspects the tree.
 *
 * @param tree - The condition tree, as parsed from the datafile.
 * @param compileLeaf - Compiles one leaf (an audience condition, or an audience id).
 */
export function compileConditionTree<Leaf>(
  tree: ConditionTree<Leaf> | unknown,
  compileLeaf: (leaf: Leaf) => ConditionEvaluator,
): ConditionEvaluator {
  return compileNode(tree, compileLeaf);
}
