import { describe, expect, it } from 'vitest';
import { IMPORT_SETS } from './import-sets';
import { measureBundle } from './measure-bundle';

const kB = (bytes: number) => `${(bytes / 1000).toFixed(2)} kB`;

// Builds FlagKit's side of every import set from the packages' dist (turbo builds them first) and
// fails when one grows past its ceiling: a regression guard. The budgets are reported by
// `pnpm bench`; here the distance to them is printed so it stays in view.
describe('bundle size ceilings', () => {
  it.each(IMPORT_SETS.map((set) => [set.id, set] as const))(
    '%s stays within its gzip ceiling',
    async (_id, set) => {
      const size = await measureBundle(set.flagkit);
      const budget =
        set.gzipBudget === undefined
          ? 'no budget'
          : size.gzip <= set.gzipBudget
            ? `within the ${kB(set.gzipBudget)} budget`
            : `${kB(size.gzip - set.gzipBudget)} over the ${kB(set.gzipBudget)} budget`;
      const summary = `${set.id}: ${kB(size.gzip)} gzip (${kB(size.minified)} minified), ceiling ${kB(set.gzipCeiling)}, ${budget}`;
      console.info(summary);
      if (size.gzip < set.gzipCeiling * 0.95)
        console.info(`${set.id}: the bundle shrank; lower its gzipCeiling`);
      expect(size.gzip, summary).toBeLessThanOrEqual(set.gzipCeiling);
    },
  );
});

// One export imported from an entrypoint must bring little more than itself. This fails when the
// packages' dist stops being tree-shakable: e.g. a build that drops the `@__PURE__` annotations
// (whitespace minification does) keeps event-processor's module-level byte constants and their
// encoder in every bundle that touches the package (the queue alone: 743 B, 944 B without them).
describe('tree shaking', () => {
  it.each([
    [
      'InMemoryQueue',
      `import { InMemoryQueue } from '@flagkit/browser'; globalThis.q = new InMemoryQueue(5);`,
      850,
    ],
    [
      'murmurhash3',
      `import { murmurhash3 } from '@flagkit/browser'; globalThis.h = murmurhash3('x');`,
      2_300,
    ],
    [
      'createLogger',
      `import { createLogger } from '@flagkit/browser'; globalThis.l = createLogger();`,
      1_400,
    ],
  ] as const)(
    'importing only %s bundles little more than its own code',
    async (_name, entry, maxMinified) => {
      const size = await measureBundle(entry);
      expect(size.minified).toBeLessThanOrEqual(maxMinified);
    },
  );
});
