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
