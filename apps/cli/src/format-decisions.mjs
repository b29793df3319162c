/** A few users that show the sample datafile's rules at work. */
export const SAMPLE_USERS = [
  { id: 'qa-tester', attributes: { country: 'US' } },
  { id: 'qa-alice', attributes: { country: 'US' } },
  { id: 'bob', attributes: { country: 'US', plan: 'pro', app_version: '2.3.1' } },
  { id: 'carol', attributes: { country: 'FR', plan: 'free', app_version: '1.9.0' } },
  { id: 'dave', attributes: { country: 'US', plan: 'pro', app_version: '2.0.0-beta' } },
];

/** Renders a table of every flag's decision for each user. */
export function formatDecisions(client, users) {
  const rows = [['user', 'flag', 'enabled', 'variation', 'rule', 'variables']];
  for (const user of users) {
    const decisions = client.createUserContext(user.id, user.attributes).decideAll();
    for (const decision of Object.values(decisions)) {
      rows.push([
        user.id,
        decision.flagKey,
        String(decision.enabled),
        decision.variationKey ?? '-',
        decision.ruleKey ?? '-',
        JSON.stringify(decision.variables),
      ]);
    }
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  return rows
    .map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
