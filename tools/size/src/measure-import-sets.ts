import { IMPORT_SETS, type ImportSet } from './import-sets';
import { type BundleSize, measureBundle } from './measure-bundle';

/** Both SDKs' bundle sizes for one import set. */
export interface ImportSetSizes {
  readonly set: ImportSet;
  readonly flagkit: BundleSize;
  readonly reference: BundleSize;
}

/** Builds every import set for both SDKs, in one run. */
export async function measureImportSets(): Promise<ImportSetSizes[]> {
  const results: ImportSetSizes[] = [];
  for (const set of IMPORT_SETS) {
    const [flagkit, reference] = await Promise.all([
      measureBundle(set.flagkit),
      measureBundle(set.reference),
    ]);
    results.push({ set, flagkit, reference });
  }
  return results;
}
