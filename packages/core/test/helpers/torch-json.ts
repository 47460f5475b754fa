/** @file Reading the fixture script's JSON: Python's json writes NaN and Infinity bare, which JSON.parse rejects. */

/** Parses JSON written by Python, reading bare NaN, Infinity and -Infinity as numbers. */
export function parseTorchJson(text: string): unknown {
  const quoted = text.replace(/(-?Infinity|NaN)(?=[,\s\]])/g, '"$1"');
  return JSON.parse(quoted, (_key, value) =>
    value === 'NaN' ? Number.NaN : value === 'Infinity' ? Infinity : value === '-Infinity' ? -Infinity : value,
  );
}
