/**
 * @file Reads and writes the safetensors format (huggingface/safetensors), in memory and browser-safe:
 * an 8-byte little-endian header length N, N bytes of JSON
 * `{ "__metadata__"?: {str: str}, name: { dtype, shape, data_offsets: [begin, end] } }` padded with
 * spaces to 8-byte alignment, then the raw little-endian tensor bytes.
 *
 * The writer follows the reference writer byte for byte (compact JSON, `__metadata__` first, tensors
 * ordered by dtype alignment descending then by name, data in header order), so files match the
 * ones `safetensors.torch.save_file` writes. The reader validates every claim the header makes
 * (offsets contiguous and in range, sizes equal to shape × dtype size, no duplicate keys) and throws
 * a clear error instead of returning a wrong tensor. File helpers live in `safetensors-node.ts`.
 */
import { type DType, formatShape, isTensor, Tensor } from '@optimgrad/core';

/** Every dtype name the format defines (in the reference writer's alignment order). */
export const SAFETENSORS_DTYPES = [
  'BOOL',
  'U8',
  'I8',
  'F8_E5M2',
  'F8_E4M3',
  'I16',
  'U16',
  'F16',
  'BF16',
  'I32',
  'U32',
  'F32',
  'F64',
  'I64',
  'U64',
] as const;

export type SafetensorsDType = (typeof SAFETENSORS_DTYPES)[number];

const ELEMENT_SIZE: Record<SafetensorsDType, number> = {
  BOOL: 1,
  U8: 1,
  I8: 1,
  F8_E5M2: 1,
  F8_E4M3: 1,
  I16: 2,
  U16: 2,
  F16: 2,
  BF16: 2,
  I32: 4,
  U32: 4,
  F32: 4,
  F64: 8,
  I64: 8,
  U64: 8,
};

/** The dtype each stored dtype loads as (all exact: integers and 16-bit floats widen without rounding; F8 is rejected). */
const LOADED_AS: Record<SafetensorsDType, DType> = {
  BOOL: 'float32',
  U8: 'float32',
  I8: 'float32',
  F8_E5M2: 'float32',
  F8_E4M3: 'float32',
  I16: 'float32',
  U16: 'float32',
  F16: 'float32',
  BF16: 'float32',
  I32: 'float64',
  U32: 'float64',
  F32: 'float32',
  F64: 'float64',
  I64: 'float64',
  U64: 'float64',
};

/** The reference reader's limit on the JSON header (100 MB). */
const MAX_HEADER_BYTES = 100_000_000;
const METADATA_KEY = '__metadata__';
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** A parsed file: the tensors by name and the optional `__metadata__` strings. */
export interface SafetensorsContents {
  readonly tensors: Record<string, Tensor>;
  readonly metadata: Record<string, string> | null;
}

interface HeaderEntry {
  readonly name: string;
  readonly dtype: SafetensorsDType;
  readonly shape: number[];
  readonly begin: number;
  readonly end: number;
}

const utf8 = new TextEncoder();

/** Orders strings by their UTF-8 bytes, as Rust's `String::cmp` (the reference writer's name order). */
function compareUtf8(a: string, b: string): number {
  const x = utf8.encode(a);
  const y = utf8.encode(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return (x[i] as number) - (y[i] as number);
  return x.length - y.length;
}

function safetensorsDType(t: Tensor, name: string): 'F32' | 'F64' {
  if (t.dtype === 'float32') return 'F32';
  if (t.dtype === 'float64') return 'F64';
  throw new Error(`saveSafetensors: tensor '${name}' has unsupported dtype ${String(t.dtype)}; use float32 or float64`);
}

function littleEndianBytes(data: Float32Array | Float64Array): Uint8Array {
  if (LITTLE_ENDIAN) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const out = new Uint8Array(data.byteLength);
  const view = new DataView(out.buffer);
  const width = data.BYTES_PER_ELEMENT;
  for (let i = 0; i < data.length; i++) {
    if (width === 4) view.setFloat32(i * 4, data[i] as number, true);
    else view.setFloat64(i * 8, data[i] as number, true);
  }
  return out;
}

/**
 * Serializes tensors (float32 → F32, float64 → F64) and optional string metadata to safetensors bytes,
 * byte-identical to the reference writer.
 * @example const bytes = saveSafetensors(model.stateDict(), { format: 'pt' });
 */
export function saveSafetensors(
  tensors: Readonly<Record<string, Tensor>>,
  metadata?: Readonly<Record<string, string>> | null,
): Uint8Array {
  if (tensors === null || typeof tensors !== 'object') {
    throw new Error('saveSafetensors: expected an object of named tensors, e.g. model.stateDict()');
  }
  const entries = Object.entries(tensors).map(([name, t]) => {
    if (name === METADATA_KEY) throw new Error(`saveSafetensors: '${METADATA_KEY}' is reserved; rename that tensor`);
    if (!isTensor(t)) throw new Error(`saveSafetensors: value of '${name}' is not a Tensor`);
    return { name, t, dtype: safetensorsDType(t, name) };
  });
  // Reference order: larger alignment first (F64 before F32), then by name.
  entries.sort(
    (a, b) => SAFETENSORS_DTYPES.indexOf(b.dtype) - SAFETENSORS_DTYPES.indexOf(a.dtype) || compareUtf8(a.name, b.name),
  );
  const parts: string[] = [];
  if (metadata != null) {
    const keys = Object.keys(metadata).sort(compareUtf8);
    const fields = keys.map((key) => {
      const value = metadata[key];
      if (typeof value !== 'string') {
        throw new Error(`saveSafetensors: metadata '${key}' must be a string, got ${typeof value}; use String(value)`);
      }
      return `${JSON.stringify(key)}:${JSON.stringify(value)}`;
    });
    parts.push(`${JSON.stringify(METADATA_KEY)}:{${fields.join(',')}}`);
  }
  let offset = 0;
  const chunks: Uint8Array[] = [];
  for (const { name, t, dtype } of entries) {
    const bytes = littleEndianBytes(t.data as Float32Array | Float64Array);
    parts.push(
      `${JSON.stringify(name)}:{"dtype":"${dtype}","shape":[${t.shape.join(',')}],"data_offsets":[${offset},${offset + bytes.length}]}`,
    );
    chunks.push(bytes);
    offset += bytes.length;
  }
  const json = utf8.encode(`{${parts.join(',')}}`);
  const headerLength = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + headerLength + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, headerLength, true);
  view.setUint32(4, Math.floor(headerLength / 2 ** 32), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLength);
  let at = 8 + headerLength;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/**
 * Throws on a key that appears twice in one JSON object (JSON.parse would silently keep the last).
 * `text` must already be valid JSON.
 */
function checkDuplicateKeys(text: string): void {
  const stack: (Set<string> | null)[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '{') {
      stack.push(new Set());
      expectKey = true;
    } else if (c === '[') {
      stack.push(null);
      expectKey = false;
    } else if (c === '}' || c === ']') {
      stack.pop();
      expectKey = false;
    } else if (c === ',') {
      expectKey = stack[stack.length - 1] instanceof Set;
    } else if (c === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      if (expectKey) {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        const keys = stack[stack.length - 1] as Set<string>;
        if (keys.has(key)) {
          throw new Error(
            `loadSafetensors: the header names '${key}' twice; a header that repeats a key is ambiguous, so the file is rejected`,
          );
        }
        keys.add(key);
        expectKey = false;
      }
      i = j;
    }
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function parseEntry(name: string, value: unknown): HeaderEntry {
  const where = `loadSafetensors: tensor '${name}'`;
  if (!isRecord(value))
    throw new Error(`${where}: expected { dtype, shape, data_offsets }, got ${JSON.stringify(value)}`);
  const { dtype, shape, data_offsets: offsets } = value;
  if (typeof dtype !== 'string' || !(SAFETENSORS_DTYPES as readonly string[]).includes(dtype)) {
    throw new Error(
      `${where} has unknown dtype ${JSON.stringify(dtype)}; safetensors dtypes are ${SAFETENSORS_DTYPES.join(', ')}`,
    );
  }
  if (!Array.isArray(shape) || !shape.every(isCount)) {
    throw new Error(`${where}: shape must be an array of non-negative integers, got ${JSON.stringify(shape)}`);
  }
  const [begin, end] = Array.isArray(offsets) && offsets.length === 2 && offsets.every(isCount) ? offsets : [];
  if (begin === undefined || end === undefined || begin > end) {
    throw new Error(
      `${where}: data_offsets must be [begin, end] with integers 0 ≤ begin ≤ end, got ${JSON.stringify(offsets)}`,
    );
  }
  return { name, dtype: dtype as SafetensorsDType, shape, begin, end };
}

function parseMetadata(value: unknown): Record<string, string> {
  if (!isRecord(value) || !Object.values(value).every((v) => typeof v === 'string')) {
    throw new Error(
      `loadSafetensors: '${METADATA_KEY}' must map strings to strings, got ${JSON.stringify(value)}; the header is corrupt`,
    );
  }
  return Object.fromEntries(Object.entries(value)) as Record<string, string>;
}

/** Checks that the tensors tile the data section exactly, in offset order, with the right sizes. */
function checkLayout(entries: HeaderEntry[], dataLength: number): void {
  const ordered = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let position = 0;
  let previous = '';
  for (const e of ordered) {
    if (e.begin !== position) {
      const what = e.begin > position ? 'leaves a gap' : 'overlaps';
      const before = previous === '' ? 'the data section starts at byte 0' : `'${previous}' ends at byte ${position}`;
      throw new Error(
        `loadSafetensors: tensor '${e.name}' starts at byte ${e.begin} but ${before}: the header ${what}; the file is corrupt`,
      );
    }
    const count = e.shape.reduce((a, b) => a * b, 1);
    const bytes = count * ELEMENT_SIZE[e.dtype];
    if (!Number.isSafeInteger(bytes) || e.end - e.begin !== bytes) {
      throw new Error(
        `loadSafetensors: tensor '${e.name}' of dtype ${e.dtype} and shape ${formatShape(e.shape)} needs ${bytes} bytes, but its data_offsets [${e.begin}, ${e.end}] span ${e.end - e.begin}; the header is corrupt`,
      );
    }
    position = e.end;
    previous = e.name;
  }
  if (position !== dataLength) {
    const problem =
      position > dataLength
        ? `the header describes ${position} bytes of tensor data but the file holds only ${dataLength}: the file is truncated`
        : `the header describes ${position} bytes of tensor data but the file holds ${dataLength}: ${dataLength - position} bytes are unaccounted for`;
    throw new Error(`loadSafetensors: ${problem}`);
  }
}

function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 31) return fraction === 0 ? sign * Number.POSITIVE_INFINITY : Number.NaN;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/** Reads element `i` of a stored dtype as a number. */
function reader(e: HeaderEntry, view: DataView): (i: number) => number {
  switch (e.dtype) {
    case 'BOOL':
      return (i) => (view.getUint8(i) === 0 ? 0 : 1);
    case 'U8':
      return (i) => view.getUint8(i);
    case 'I8':
      return (i) => view.getInt8(i);
    case 'I16':
      return (i) => view.getInt16(i * 2, true);
    case 'U16':
      return (i) => view.getUint16(i * 2, true);
    case 'F16':
      return (i) => halfToFloat(view.getUint16(i * 2, true));
    case 'BF16':
      // bfloat16 is the top half of a float32.
      return (i) => {
        bfloatBits[0] = view.getUint16(i * 2, true) << 16;
        return bfloatValue[0] as number;
      };
    case 'I32':
      return (i) => view.getInt32(i * 4, true);
    case 'U32':
      return (i) => view.getUint32(i * 4, true);
    case 'F32':
      return (i) => view.getFloat32(i * 4, true);
    case 'F64':
      return (i) => view.getFloat64(i * 8, true);
    case 'I64':
      return (i) => exactInteger(e, i, view.getBigInt64(i * 8, true));
    case 'U64':
      return (i) => exactInteger(e, i, view.getBigUint64(i * 8, true));
    case 'F8_E5M2':
    case 'F8_E4M3':
      throw new Error(
        `loadSafetensors: tensor '${e.name}' has dtype ${e.dtype}, which optimgrad cannot load; convert it to F32, F16, BF16 or F64 before saving`,
      );
    default:
      return e.dtype satisfies never;
  }
}

const bfloatBits = new Uint32Array(1);
const bfloatValue = new Float32Array(bfloatBits.buffer);

/** Decodes one tensor's little-endian bytes into float values (exact for every supported dtype). */
function decode(e: HeaderEntry, bytes: Uint8Array): Float32Array | Float64Array {
  if (LITTLE_ENDIAN && (e.dtype === 'F32' || e.dtype === 'F64')) {
    // Fast path: copy the bytes into a fresh, aligned buffer and view it directly. (Not `slice()`:
    // on a Node Buffer it returns a view of the shared pool.)
    const copy = new Uint8Array(bytes.length);
    copy.set(bytes);
    return e.dtype === 'F32' ? new Float32Array(copy.buffer) : new Float64Array(copy.buffer);
  }
  const read = reader(e, new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  const count = bytes.length / ELEMENT_SIZE[e.dtype];
  const out = LOADED_AS[e.dtype] === 'float64' ? new Float64Array(count) : new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = read(i);
  return out;
}

function exactInteger(e: HeaderEntry, i: number, value: bigint): number {
  const limit = BigInt(Number.MAX_SAFE_INTEGER);
  if (value > limit || value < -limit) {
    throw new Error(
      `loadSafetensors: tensor '${e.name}' (${e.dtype}) holds ${value} at element ${i}, which float64 cannot represent exactly (|value| > 2^53 - 1)`,
    );
  }
  return Number(value);
}

/**
 * Parses safetensors bytes into tensors and metadata, validating the header against the data.
 * F32 and F16/BF16/BOOL/U8/I8/I16/U16 load as float32, F64 and I32/U32/I64/U64 as float64 (exactly).
 * @example const { tensors, metadata } = parseSafetensors(bytes);
 */
export function parseSafetensors(input: Uint8Array | ArrayBuffer): SafetensorsContents {
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  if (bytes.length < 8) {
    throw new Error(
      `loadSafetensors: got ${bytes.length} bytes, but a safetensors file starts with an 8-byte header length; the file is truncated or not safetensors`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(0, true) + view.getUint32(4, true) * 2 ** 32;
  if (headerLength > MAX_HEADER_BYTES) {
    throw new Error(
      `loadSafetensors: header length ${headerLength} exceeds the format's 100 MB limit; the file is corrupt or not safetensors`,
    );
  }
  if (8 + headerLength > bytes.length) {
    throw new Error(
      `loadSafetensors: header length ${headerLength} goes past the end of the data (${bytes.length} bytes); the file is truncated or not safetensors`,
    );
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes.subarray(8, 8 + headerLength));
  } catch {
    throw new Error('loadSafetensors: the header is not valid UTF-8; the file is corrupt or not safetensors');
  }
  if (!text.startsWith('{')) {
    throw new Error(
      `loadSafetensors: the header must be a JSON object starting with '{', got ${JSON.stringify(text.slice(0, 20))}; the file is corrupt or not safetensors`,
    );
  }
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (error) {
    throw new Error(`loadSafetensors: the header is not valid JSON (${(error as Error).message}); the file is corrupt`);
  }
  if (!isRecord(header)) throw new Error('loadSafetensors: the header must be a JSON object of tensor entries');
  checkDuplicateKeys(text);
  let metadata: Record<string, string> | null = null;
  const entries: HeaderEntry[] = [];
  for (const [name, value] of Object.entries(header)) {
    if (name === METADATA_KEY) metadata = value === null ? null : parseMetadata(value);
    else entries.push(parseEntry(name, value));
  }
  const dataStart = 8 + headerLength;
  checkLayout(entries, bytes.length - dataStart);
  const tensors = entries.map((e): [string, Tensor] => {
    const data = decode(e, bytes.subarray(dataStart + e.begin, dataStart + e.end));
    return [e.name, new Tensor(data, { shape: e.shape })];
  });
  return { tensors: Object.fromEntries(tensors), metadata };
}

/**
 * Loads the tensors of safetensors bytes by name (see `parseSafetensors` for dtypes and checks).
 * @example model.loadStateDict(loadSafetensors(bytes));
 */
export function loadSafetensors(input: Uint8Array | ArrayBuffer): Record<string, Tensor> {
  return parseSafetensors(input).tensors;
}
