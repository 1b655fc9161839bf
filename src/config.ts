import type { TabstreamConfig } from './api';

interface IntegerAttribute {
  readonly attribute: string;
  readonly option: 'partitions' | 'batchIntervalMs' | 'workers';
  readonly min: number;
  readonly max: number;
}

const INTEGERS: readonly IntegerAttribute[] = [
  { attribute: 'data-partitions', option: 'partitions', min: 1, max: 64 },
  { attribute: 'data-batch-interval', option: 'batchIntervalMs', min: 100, max: 600000 },
  { attribute: 'data-workers', option: 'workers', min: 1, max: 16 },
];

/**
 * Reads the configuration from the script tag's data-* attributes.
 * - must log one console error for each invalid attribute, naming it and its valid values,
 *   and use the default for it;
 * - must ignore attributes it does not know.
 */
export function readScriptConfig(script: Element | null): TabstreamConfig {
  const config: { -readonly [K in keyof TabstreamConfig]: TabstreamConfig[K] } = {};
  if (!script) return config;
  for (const { attribute, option, min, max } of INTEGERS) {
    const raw = script.getAttribute(attribute);
    if (raw === null) continue;
    const value = Number(raw.trim());
    if (raw.trim() !== '' && Number.isInteger(value) && value >= min && value <= max) {
      config[option] = value;
    } else {
      console.error(
        `tabstream: ${attribute}="${raw}" is invalid: use a whole number from ${min} to ${max}. ` +
          'Using the default.',
      );
    }
  }
  const log = script.getAttribute('data-log');
  if (log !== null) {
    if (/^[\w.-]{1,64}$/.test(log)) config.log = log;
    else
      console.error(
        `tabstream: data-log="${log}" is invalid: use 1 to 64 letters, digits, ".", "_" or "-". Using the default.`,
      );
  }
  return config;
}
