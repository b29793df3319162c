/**
 * Feature variable definitions and their string-encoded values, for every variable type
 * (`boolean`, `double`, `integer`, `string`, `json`, and `string` with `subType: "json"`).
 */
import type { FeatureVariable, VariableType } from './datafile-types';
import type { Random } from './random';

/** The declared shape of a variable, before ids and keys are assigned. */
export type VariableFlavor = 'boolean' | 'double' | 'integer' | 'string' | 'json' | 'string-json';

/** Every flavor, in the order the coverage pass assigns them. */
export const VARIABLE_FLAVORS: readonly VariableFlavor[] = [
  'boolean',
  'double',
  'integer',
  'string',
  'json',
  'string-json',
];

const STRINGS = ['', 'hello', 'Grüße', '你好', 'emoji 🚀', 'line\nbreak', '"quoted"', '  padded  ', 'null'];
const JSONS = [
  '{}',
  '[]',
  '{"a":1,"b":[true,null,"x"]}',
  '{"nested":{"deep":{"value":3.5}},"list":[1,2,3]}',
  '"just a string"',
  '42',
  'null',
  '{"unicode":"ü🙂"}',
];
const MALFORMED: Record<VariableType, readonly string[]> = {
  boolean: ['TRUE', 'yes', '1', ''],
  integer: ['1.5', '12abc', ' 7', '1e3', '9007199254740993', ''],
  double: ['1e3', 'Infinity', '-0', ' 2.5', '3.14abc', 'NaN', ''],
  string: [],
  json: ['{bad json', "{'single':1}", ''],
};

/** The datafile `type`/`subType` for a flavor. */
export function variableTypeOf(flavor: VariableFlavor): Pick<FeatureVariable, 'type' | 'subType'> {
  return flavor === 'string-json' ? { type: 'string', subType: 'json' } : { type: flavor };
}

/** The effective type after `string`+`json` promotion. */
export function effectiveType(variable: Pick<FeatureVariable, 'type' | 'subType'>): VariableType {
  return variable.type === 'string' && variable.subType === 'json' ? 'json' : variable.type;
}

/**
 * A random, string-encoded value for a variable of the given type.
 * @param malformedShare - probability of a value the SDK's cast rejects or reads surprisingly.
 */
export function variableValue(random: Random, type: VariableType, malformedShare: number): string {
  const malformed = MALFORMED[type];
  if (malformed.length > 0 && random.chance(malformedShare)) return random.pick(malformed);
  switch (type) {
    case 'boolean':
      return random.chance(0.5) ? 'true' : 'false';
    case 'integer':
      return String(
        random.weighted([
          [6, random.int(-100, 100)],
          [2, random.int(0, 2_000_000_000)],
          [1, 0],
          [1, -2_147_483_648],
        ]),
      );
    case 'double':
      return String(
        random.weighted([
          [6, Math.round(random.float(-1000, 1000) * 1000) / 1000],
          [1, 0],
          [1, 0.1 + 0.2],
          [1, 1e-7],
          [1, random.int(-5, 5)],
        ]),
      );
    case 'string':
      return random.chance(0.5) ? random.pick(STRINGS) : `value_${random.int(0, 9999)}`;
    case 'json':
      return random.chance(0.7)
        ? random.pick(JSONS)
        : JSON.stringify({ id: random.int(0, 999), on: random.chance(0.5), tag: random.pick(STRINGS) });
  }
}
