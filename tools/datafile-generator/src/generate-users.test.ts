import { describe, expect, it } from 'vitest';
import { indexDatafile } from './datafile-index';
import { generateDatafile } from './generate-datafile';
import { type GeneratedUser, generateUsers } from './generate-users';

const datafile = generateDatafile({ seed: 21, flags: 50 });
const users = generateUsers(datafile, { seed: 5, count: 3000 });
const values = (key?: string): unknown[] =>
  users.flatMap((u) =>
    Object.keys(u.attributes)
      .filter((k) => key === undefined || k === key)
      .map((k) => u.attributes[k]),
  );

function hasUndefined(value: unknown): boolean {
  if (value === undefined) return true;
  if (typeof value !== 'object' || value === null) return false;
  return Object.keys(value).some((k) => hasUndefined((value as Record<string, unknown>)[k]));
}

describe('generateUsers', () => {
  it('is deterministic: same datafile and seed, deep-equal users', () => {
    const a = generateUsers(datafile, { seed: 9, count: 500 });
    const b = generateUsers(generateDatafile({ seed: 21, flags: 50 }), { seed: 9, count: 500 });
    expect(a).toEqual(b);
    expect(a).not.toEqual(generateUsers(datafile, { seed: 10, count: 500 }));
  });

  it('returns the requested number of users', () => {
    expect(users).toHaveLength(3000);
    expect(generateUsers(datafile, { seed: 1, count: 0 })).toEqual([]);
  });

  it('never produces undefined attribute values', () => {
    for (const user of users) expect(hasUndefined(user.attributes)).toBe(false);
  });

  it('draws ids from several families, including whitelisted and unicode ones', () => {
    const ids = new Set(users.map((u) => u.userId));
    const whitelisted = indexDatafile(datafile).whitelistedUserIds;
    expect(whitelisted.length).toBeGreaterThan(0);
    expect(whitelisted.some((id) => ids.has(id))).toBe(true);
    expect([...ids].some((id) => [...id].some((c) => (c.codePointAt(0) ?? 0) > 0x7f))).toBe(true);
    expect(ids.has('')).toBe(true);
    expect(ids.has('undefined')).toBe(false);
    expect([...ids].some((id) => id.length > 100)).toBe(true);
  });

  it('uses the datafile attribute keys with matching and hostile values', () => {
    const keys = new Set(users.flatMap((u) => Object.keys(u.attributes)));
    for (const a of datafile.attributes) expect(keys).toContain(a.key);
    const all = values();
    expect(all).toContain(null);
    expect(all.some((v) => Number.isNaN(v))).toBe(true);
    expect(all).toContain(Number.POSITIVE_INFINITY);
    expect(all).toContain(Number.NEGATIVE_INFINITY);
    expect(all.some((v) => typeof v === 'number' && Math.abs(v) > 2 ** 53)).toBe(true);
    expect(all.some((v) => typeof v === 'number' && !Number.isInteger(v) && Number.isFinite(v))).toBe(true);
    expect(all.some((v) => typeof v === 'boolean')).toBe(true);
    expect(all.some((v) => typeof v === 'object' && v !== null)).toBe(true);
    // Matching types: the condition values themselves show up.
    const countries = values('country');
    expect(countries.some((v) => typeof v === 'string')).toBe(true);
    expect(countries.some((v) => typeof v !== 'string')).toBe(true);
    const versions = values('app_version').filter((v): v is string => typeof v === 'string');
    expect(versions.some((v) => /^\d+\.\d+\.\d+$/.test(v))).toBe(true);
    expect(versions.some((v) => /-/.test(v))).toBe(true);
    expect(versions.some((v) => /\+/.test(v))).toBe(true);
    expect(versions.some((v) => v.startsWith('v') || v.includes('..') || /\s/.test(v))).toBe(true);
    // Missing: not every user has every attribute.
    expect(users.some((u) => !Object.hasOwn(u.attributes, 'country'))).toBe(true);
  });

  it('adds $opt_bucketing_id as strings and non-strings', () => {
    const ids = values('$opt_bucketing_id');
    expect(ids.some((v) => typeof v === 'string')).toBe(true);
    expect(ids.some((v) => typeof v !== 'string')).toBe(true);
  });

  it('adds __proto__ and constructor as own data keys without touching the prototype', () => {
    const withProto = users.filter((u) => Object.hasOwn(u.attributes, '__proto__'));
    const withCtor = users.filter((u) => Object.hasOwn(u.attributes, 'constructor'));
    expect(withProto.length).toBeGreaterThan(0);
    expect(withCtor.length).toBeGreaterThan(0);
    for (const u of [...withProto, ...withCtor]) {
      expect(Object.getPrototypeOf(u.attributes)).toBe(Object.prototype);
      expect(Object.keys(u.attributes)).toContain(
        Object.hasOwn(u.attributes, '__proto__') ? '__proto__' : 'constructor',
      );
    }
    for (const u of withProto) {
      const v = Object.getOwnPropertyDescriptor(u.attributes, '__proto__')?.value;
      expect(v === null || typeof v === 'object').toBe(false);
    }
    // Survives a JSON round trip as an own key too.
    const sample = withProto[0] as GeneratedUser;
    expect(Object.hasOwn(JSON.parse(JSON.stringify(sample.attributes)), '__proto__')).toBe(true);
  });

  it('adds sticky-bucketing maps that name experiments', () => {
    const maps = values('$opt_experiment_bucket_map') as Record<string, { variation_id: string }>[];
    expect(maps.length).toBeGreaterThan(0);
    const experimentIds = new Set(indexDatafile(datafile).experiments.map((e) => e.id));
    for (const map of maps) for (const id of Object.keys(map)) expect(experimentIds.has(id)).toBe(true);
  });

  it('picks segments among the datafile qualified segments', () => {
    const known = new Set(indexDatafile(datafile).segments);
    expect(known.size).toBeGreaterThan(0);
    const seen = new Set(users.flatMap((u) => u.segments));
    for (const s of seen) expect(known.has(s) || s === 'not_a_real_segment').toBe(true);
    expect([...known].every((s) => seen.has(s))).toBe(true);
    expect(users.some((u) => u.segments.length === 0)).toBe(true);
  });

  it('works on a datafile without audiences', () => {
    const bare = { attributes: [{ id: '1', key: 'plan' }] };
    const out = generateUsers(bare, { seed: 1, count: 50 });
    expect(out).toHaveLength(50);
    for (const u of out) expect(u.segments.every((s) => s === 'not_a_real_segment')).toBe(true);
  });
});
