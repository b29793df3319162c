import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { type AgentConfig, DEFAULT_CONFIG } from './agent-config';
import { parseDuration } from './parse-duration';

/** A config value that could not be used: where it was and why. */
export class AgentConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AgentConfigError';
  }
}

export interface LoadConfigOptions {
  /** A YAML file to read; missing means defaults and environment only. */
  readonly file?: string;
  /** YAML text, instead of a file (tests). */
  readonly yaml?: string;
  /** Environment variables; default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** A partial config laid over everything else (tests, embedding). */
  readonly overrides?: unknown;
}

const ENV_PREFIX = 'OPTIMIZELY';
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Builds the config as Agent does: defaults, then the YAML file (keys matched case-insensitively,
 * as viper does), then `OPTIMIZELY_<PATH>` environment variables (`OPTIMIZELY_API_PORT`,
 * `OPTIMIZELY_SERVER_BATCHREQUESTS_OPERATIONSLIMIT`; an object or list may be given as JSON, e.g.
 * `OPTIMIZELY_CLIENT_ODP_SEGMENTSCACHE`; a list also as comma-separated text, e.g.
 * `OPTIMIZELY_SDKKEYS=a,b`). `OPTIMIZELY_CMAB_PREDICTIONENDPOINT`, as in Agent, sets
 * `client.cmab.predictionEndpoint` over the file and `OPTIMIZELY_CLIENT_CMAB_PREDICTIONENDPOINT`.
 * Throws {@link AgentConfigError} for values of the wrong type.
 */
export function loadConfig(options: LoadConfigOptions = {}): AgentConfig {
  let fromFile: unknown = {};
  const text = options.yaml ?? (options.file ? readConfigFile(options.file) : undefined);
  if (text !== undefined) {
    try {
      fromFile = parseYaml(text) ?? {};
    } catch (error) {
      throw new AgentConfigError(`The config file is not valid YAML: ${(error as Error).message}`);
    }
  }
  let config = merge(DEFAULT_CONFIG, fromFile, 'config');
  const env = options.env ?? process.env;
  config = applyEnvironment(config, env, [ENV_PREFIX], 'config');
  config = applyCmabEndpoint(config, env);
  if (options.overrides !== undefined) config = merge(config, options.overrides, 'config');
  return config as AgentConfig;
}

/** Agent's own variable for the CMAB prediction URL, read apart from the `OPTIMIZELY_<PATH>` scheme. */
const CMAB_ENDPOINT_VARIABLE = `${ENV_PREFIX}_CMAB_PREDICTIONENDPOINT`;

function applyCmabEndpoint(config: unknown, env: Readonly<Record<string, string | undefined>>): unknown {
  const endpoint = env[CMAB_ENDPOINT_VARIABLE];
  if (!endpoint) return config;
  return merge(config, { client: { cmab: { predictionEndpoint: endpoint } } }, 'config');
}

function readConfigFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new AgentConfigError(`Cannot read the config file ${file}: ${(error as Error).message}`);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Lays `given` over `base`, coercing to the base's types; unknown keys of open maps are kept. */
function merge(base: unknown, given: unknown, path: string): unknown {
  if (given === undefined || given === null) return base;
  if (isPlainObject(base)) {
    if (!isPlainObject(given)) throw new AgentConfigError(`${path} must be a map.`);
    const out: Record<string, unknown> = {};
    const baseKeys = Object.keys(base);
    for (const key of baseKeys) out[key] = base[key];
    for (const key of Object.keys(given)) {
      if (UNSAFE_KEYS.has(key)) continue;
      const known = baseKeys.find((k) => k.toLowerCase() === key.toLowerCase());
      const target = known ?? key;
      out[target] = known === undefined ? given[key] : merge(base[known], given[key], `${path}.${target}`);
    }
    return out;
  }
  if (Array.isArray(base)) {
    if (!Array.isArray(given)) throw new AgentConfigError(`${path} must be a list.`);
    return given;
  }
  if (typeof base === 'number') {
    const value = parseDuration(given);
    if (value === undefined)
      throw new AgentConfigError(`${path} must be a number or a duration, not ${given}.`);
    return value;
  }
  if (typeof base === 'boolean') {
    if (typeof given === 'boolean') return given;
    if (given === 'true' || given === 'false') return given === 'true';
    throw new AgentConfigError(`${path} must be true or false, not ${String(given)}.`);
  }
  if (typeof base === 'string') {
    if (typeof given === 'object') throw new AgentConfigError(`${path} must be text.`);
    return String(given);
  }
  return given;
}

/** Applies `OPTIMIZELY_…` variables for every path of the config, outermost first. */
function applyEnvironment(
  node: unknown,
  env: Readonly<Record<string, string | undefined>>,
  name: readonly string[],
  path: string,
): unknown {
  const variable = name.join('_').toUpperCase();
  const raw = name.length > 1 ? env[variable] : undefined;
  let value = node;
  if (raw !== undefined) value = merge(node, fromEnvironmentText(node, raw, variable), path);
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    out[key] = applyEnvironment(value[key], env, [...name, key], `${path}.${key}`);
  }
  return out;
}

function fromEnvironmentText(node: unknown, raw: string, variable: string): unknown {
  if (isPlainObject(node) || Array.isArray(node)) {
    const text = raw.trim();
    if (text.startsWith('{') || text.startsWith('[')) {
      try {
        return JSON.parse(text);
      } catch {
        throw new AgentConfigError(`${variable} is not valid JSON.`);
      }
    }
    if (Array.isArray(node)) return text === '' ? [] : text.split(',').map((part) => part.trim());
    throw new AgentConfigError(`${variable} must be a JSON object.`);
  }
  return raw;
}
