/**
 * Exclusion groups. A `random` group buckets users into one of its experiments first
 * (traffic over experiment ids, possibly partial or with holes); an `overlapping` group does not.
 * Grouped experiments are listed under their group only, never in top-level `experiments`.
 */
import type { Experiment, Group } from './datafile-types';
import type { GenerationContext } from './generation-context';
import { splitTraffic } from './traffic-allocation';

/** The groups, and the experiments that stay top-level. */
export interface GeneratedGroups {
  groups: Group[];
  topLevel: Experiment[];
}

/**
 * Places the candidate experiments into `options.groups` groups. The first group is `random`,
 * the second `overlapping`, the others mostly `random`. Each group gets at least one experiment
 * when there are enough candidates; the first gets at least two.
 */
export function generateGroups(
  ctx: GenerationContext,
  experiments: readonly Experiment[],
  candidates: ReadonlySet<string>,
): GeneratedGroups {
  const { random, options } = ctx;
  const chosen = experiments.filter((e) => candidates.has(e.id));
  // Top up so the first random group can be mutually exclusive between two experiments.
  for (const e of experiments) {
    if (chosen.length >= 2) break;
    if (!candidates.has(e.id) && e.type !== 'fr' && e.type !== 'cmab') chosen.push(e);
  }
  const groupCount = Math.min(options.groups, Math.max(0, chosen.length - 1));
  if (groupCount === 0) return { groups: [], topLevel: experiments.slice() };

  const members: Experiment[][] = Array.from({ length: groupCount }, () => []);
  const shuffled = random.shuffle(chosen);
  shuffled.forEach((experiment, i) => {
    // Two for the first group, one for each other group, then anywhere.
    const slot = i < 2 ? 0 : i < groupCount + 1 ? i - 1 : random.int(0, groupCount - 1);
    members[slot]?.push(experiment);
  });

  const groups: Group[] = members.map((list, g) => {
    const policy =
      g === 0 ? 'random' : g === 1 ? 'overlapping' : random.chance(0.8) ? 'random' : 'overlapping';
    return {
      id: ctx.ids.id(),
      policy,
      trafficAllocation:
        policy === 'random'
          ? splitTraffic(
              random,
              list.map((e) => e.id),
              {
                partialShare: 0.25,
                holeShare: 0.1,
                unknownEntityShare: options.quirks ? 0.05 : 0,
                unknownId: ctx.unknownId,
              },
            )
          : [],
      experiments: list,
    };
  });
  const grouped = new Set(shuffled.map((e) => e.id));
  return { groups, topLevel: experiments.filter((e) => !grouped.has(e.id)) };
}
