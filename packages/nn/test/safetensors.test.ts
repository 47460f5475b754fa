import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { manualSeed, randn, type Tensor, tensor, zeros } from '@optimgrad/core';
import { describe, expect, it } from 'vitest';
import { maxPool2d } from '../src/functional/pool';
import { Conv2d } from '../src/layers/conv';
import { loadSafetensors, parseSafetensors, saveSafetensors } from '../src/safetensors';
import { loadSafetensorsFile, saveSafetensorsFile } from '../src/safetensors-node';

type Nested = number | Nested[];

const fixtures = new URL('./fixtures/torch/', import.meta.url);
const read = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(name, fixtures)));
const expected = JSON.parse(readFileSync(new URL('nn_io_safetensors.json', fixtures), 'utf8')) as {
  metadata: Record<string, string>;
  tensors: Record<string, { shape: number[]; dtype: 'F32' | 'F64'; values: Nested }>;
  dtypes: Record<string, { shape: number[]; values: Nested }>;
  conv2dModel: { x: Nested; out: Nested };
};

const encoder = new TextEncoder();

/** Builds a file from a header string and data bytes (the header padded as given). */
function file(header: string, data: number[] = [], lengthOverride?: number): Uint8Array {
  const json = encoder.encode(header);
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setUint32(0, lengthOverride ?? json.length, true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

const f32 = (values: number[]): number[] => Array.from(new Uint8Array(new Float32Array(values).buffer));

function flat(values: Nested): number[] {
  return Array.isArray(values) ? values.flatMap(flat) : [values];
}

describe('saveSafetensors', () => {
  it("writes the reference implementation's bytes for a single F32 tensor", () => {
    const bytes = saveSafetensors({ 'attn.0': tensor([0, 1, 2, 3, 4, 5], { shape: [1, 2, 3] }) });
    const header = '{"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}}';
    expect(header.length).toBe(64);
    expect(Array.from(bytes)).toEqual([64, 0, 0, 0, 0, 0, 0, 0, ...encoder.encode(header), ...f32([0, 1, 2, 3, 4, 5])]);
  });

  it('pads the header with spaces to a multiple of 8 bytes', () => {
    const bytes = saveSafetensors({ attn0: tensor([0, 1, 2, 3, 4, 5], { shape: [1, 1, 2, 3] }) });
    const header = '{"attn0":{"dtype":"F32","shape":[1,1,2,3],"data_offsets":[0,24]}}';
    expect(header.length).toBe(65);
    expect(bytes[0]).toBe(72);
    expect(new TextDecoder().decode(bytes.subarray(8, 80))).toBe(`${header}${' '.repeat(7)}`);
    expect(Array.from(bytes.subarray(80))).toEqual(f32([0, 1, 2, 3, 4, 5]));
  });

  it('writes an empty dict and metadata like the reference implementation', () => {
    expect(Array.from(saveSafetensors({}))).toEqual([8, 0, 0, 0, 0, 0, 0, 0, 123, 125, 32, 32, 32, 32, 32, 32]);
    const withMetadata = saveSafetensors({}, { framework: 'pt' });
    expect(withMetadata[0]).toBe(40);
    expect(new TextDecoder().decode(withMetadata.subarray(8))).toBe('{"__metadata__":{"framework":"pt"}}     ');
  });

  it('orders tensors by dtype alignment (F64 first) and then by name', () => {
    const bytes = saveSafetensors({
      b: zeros([1]),
      a: zeros([1]),
      z: zeros([1], { dtype: 'float64' }),
    });
    const header = new TextDecoder().decode(bytes.subarray(8, 8 + (bytes[0] as number)));
    expect(Object.keys(JSON.parse(header))).toEqual(['z', 'a', 'b']);
  });

  it('is byte-identical to the reference-convention writer for the interop tensors', () => {
    const tensors = Object.fromEntries(
      Object.entries(expected.tensors).map(([name, { shape, dtype, values }]) => [
        name,
        tensor(flat(values), { shape, dtype: dtype === 'F64' ? 'float64' : 'float32' }),
      ]),
    );
    const ours = saveSafetensors(tensors, expected.metadata);
    expect(Buffer.from(ours).equals(Buffer.from(read('nn_io_torch.safetensors')))).toBe(true);
    // The same bytes, produced by this writer, were read back and checked by the Python reader.
    expect(Buffer.from(ours).equals(Buffer.from(read('nn_io_ts.safetensors')))).toBe(true);
  });

  it('rejects non-tensors, unsupported names and non-string metadata', () => {
    expect(() => saveSafetensors({ __metadata__: zeros([1]) })).toThrow(/'__metadata__' is reserved/);
    expect(() => saveSafetensors({ a: [1, 2] as unknown as Tensor })).toThrow(/value of 'a' is not a Tensor/);
    expect(() => saveSafetensors({}, { epoch: 3 as unknown as string })).toThrow(/metadata 'epoch' must be a string/);
  });
});

describe('loadSafetensors', () => {
  it('loads a file written from PyTorch tensors, with shapes, dtypes, values and metadata', () => {
    const { tensors, metadata } = parseSafetensors(read('nn_io_torch.safetensors'));
    expect(metadata).toEqual(expected.metadata);
    expect(Object.keys(tensors).sort()).toEqual(Object.keys(expected.tensors).sort());
    for (const [name, { shape, dtype, values }] of Object.entries(expected.tensors)) {
      const t = tensors[name] as Tensor;
      expect(t.shape).toEqual(shape);
      expect(t.dtype).toBe(dtype === 'F64' ? 'float64' : 'float32');
      expect(Array.from(t.data)).toEqual(flat(values));
    }
    expect(Object.is(tensors.a?.data[3], -0)).toBe(true);
  });

  it('widens F16, BF16 and integer dtypes exactly', () => {
    const tensors = loadSafetensors(read('nn_io_dtypes.safetensors'));
    for (const [name, { shape, values }] of Object.entries(expected.dtypes)) {
      const t = tensors[name] as Tensor;
      expect(t.shape, name).toEqual(shape);
      expect(Array.from(t.data), name).toEqual(flat(values));
    }
    expect(tensors.i64?.dtype).toBe('float64');
    expect(tensors.f16?.dtype).toBe('float32');
  });

  it('round-trips float32 and float64 tensors, including 0-d, empty and non-finite values', () => {
    manualSeed(3);
    const original: Record<string, Tensor> = {
      w: randn([3, 4]),
      d: randn([2, 2, 2], { dtype: 'float64' }),
      s: tensor(7),
      e: zeros([0, 5]),
      odd: tensor([Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN, -0]),
      t: randn([4, 3]).transpose(0, 1),
    };
    const loaded = loadSafetensors(saveSafetensors(original));
    for (const [name, t] of Object.entries(original)) {
      expect(loaded[name]?.shape).toEqual(t.shape);
      expect(loaded[name]?.dtype).toBe(t.dtype);
      expect(Array.from(loaded[name]?.data ?? [])).toEqual(Array.from(t.data));
    }
  });

  it('reads a view into a larger buffer at an unaligned offset', () => {
    const bytes = saveSafetensors({ x: tensor([1, 2, 3], { dtype: 'float64' }) });
    const big = new Uint8Array(bytes.length + 3);
    big.set(bytes, 3);
    expect(loadSafetensors(big.subarray(3)).x?.toArray()).toEqual([1, 2, 3]);
  });

  it("loads a PyTorch Conv2d's weights and reproduces its output", () => {
    const conv = new Conv2d(2, 3, 3, { padding: 1, stride: [1, 2] });
    conv.loadStateDict(loadSafetensors(read('nn_io_conv2d.safetensors')));
    const out = maxPool2d(conv.call(tensor(expected.conv2dModel.x)).relu(), 2);
    const reference = tensor(expected.conv2dModel.out);
    expect(out.shape).toEqual(reference.shape);
    const worst = Math.max(...Array.from(out.data, (v, i) => Math.abs(v - (reference.data[i] as number))));
    expect(worst).toBeLessThan(1e-5);
  });

  it('moves a Conv2d state dict through a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'safetensors-'));
    try {
      const path = join(dir, 'conv.safetensors');
      const source = new Conv2d(2, 3, 3);
      saveSafetensorsFile(path, source.stateDict(), { format: 'pt' });
      const target = new Conv2d(2, 3, 3);
      target.loadStateDict(loadSafetensorsFile(path));
      expect(Array.from(target.weight.data)).toEqual(Array.from(source.weight.data));
      expect(Array.from(target.bias?.data ?? [])).toEqual(Array.from(source.bias?.data ?? []));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('loadSafetensors on corrupt input', () => {
  const good = saveSafetensors({ a: tensor([1, 2]), b: tensor([3]) });

  it('rejects data shorter than the 8-byte length prefix', () => {
    expect(() => loadSafetensors(new Uint8Array(5))).toThrow(
      /got 5 bytes, but a safetensors file starts with an 8-byte header length/,
    );
  });

  it('rejects a header length beyond the end of the file', () => {
    expect(() => loadSafetensors(good.subarray(0, 20))).toThrow(
      /header length \d+ goes past the end of the data \(20 bytes\)/,
    );
    const huge = new Uint8Array(16);
    new DataView(huge.buffer).setUint32(4, 1, true);
    expect(() => loadSafetensors(huge)).toThrow(/header length 4294967296 exceeds the format's 100 MB limit/);
  });

  it('rejects truncated tensor data and trailing bytes', () => {
    expect(() => loadSafetensors(good.subarray(0, good.length - 1))).toThrow(
      /describes 12 bytes of tensor data but the file holds only 11: the file is truncated/,
    );
    const longer = new Uint8Array(good.length + 4);
    longer.set(good);
    expect(() => loadSafetensors(longer)).toThrow(/describes 12 bytes .* holds 16: 4 bytes are unaccounted for/);
  });

  it('rejects a header that is not UTF-8, not an object or not JSON', () => {
    const bad = file('{"a"}');
    bad[9] = 0xff;
    expect(() => loadSafetensors(bad)).toThrow(/not valid UTF-8/);
    expect(() => loadSafetensors(file('[1, 2]  '))).toThrow(/must be a JSON object starting with '\{'/);
    expect(() => loadSafetensors(file('{"a":{"dtype":'))).toThrow(/the header is not valid JSON/);
  });

  it('rejects overlapping tensors, gaps and offsets out of range', () => {
    const two = (a: string, b: string) =>
      `{"a":{"dtype":"F32","shape":[2],"data_offsets":${a}},"b":{"dtype":"F32","shape":[2],"data_offsets":${b}}}`;
    expect(() => loadSafetensors(file(two('[0,8]', '[4,12]'), f32([1, 2, 3])))).toThrow(
      /tensor 'b' starts at byte 4 but 'a' ends at byte 8: the header overlaps/,
    );
    expect(() => loadSafetensors(file(two('[0,8]', '[12,20]'), f32([1, 2, 3, 4, 5])))).toThrow(
      /tensor 'b' starts at byte 12 but 'a' ends at byte 8: the header leaves a gap/,
    );
    expect(() => loadSafetensors(file(two('[0,8]', '[8,16]'), f32([1, 2, 3])))).toThrow(/the file is truncated/);
    expect(() => loadSafetensors(file('{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}}', f32([1])))).toThrow(
      /data_offsets must be \[begin, end\] with integers 0 ≤ begin ≤ end, got \[4,0\]/,
    );
  });

  it('rejects a data size that does not match shape × dtype size', () => {
    expect(() => loadSafetensors(file('{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}', f32([1, 2])))).toThrow(
      /tensor 'a' of dtype F32 and shape \[3\] needs 12 bytes, but its data_offsets \[0, 8\] span 8/,
    );
    expect(() => loadSafetensors(file('{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}', f32([1])))).toThrow(
      /shape must be an array of non-negative integers/,
    );
  });

  it('names unknown and unsupported dtypes', () => {
    expect(() => loadSafetensors(file('{"a":{"dtype":"Q4","shape":[1],"data_offsets":[0,1]}}', [0]))).toThrow(
      /tensor 'a' has unknown dtype "Q4"; safetensors dtypes are BOOL, U8/,
    );
    expect(() => loadSafetensors(file('{"a":{"dtype":"F8_E4M3","shape":[1],"data_offsets":[0,1]}}', [0]))).toThrow(
      /tensor 'a' has dtype F8_E4M3, which optimgrad cannot load/,
    );
  });

  it('rejects I64 values that float64 cannot hold exactly', () => {
    const data = Array.from(new Uint8Array(new BigInt64Array([2n ** 53n]).buffer));
    expect(() => loadSafetensors(file('{"i":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}', data))).toThrow(
      /tensor 'i' \(I64\) holds 9007199254740992 at element 0, which float64 cannot represent exactly/,
    );
  });

  it('rejects duplicate keys, malformed entries and malformed metadata', () => {
    const entry = '{"dtype":"F32","shape":[1],"data_offsets":[0,4]}';
    expect(() => loadSafetensors(file(`{"a":${entry},"a":${entry}}`, f32([1])))).toThrow(/the header names 'a' twice/);
    expect(() =>
      loadSafetensors(file('{"a":{"dtype":"F32","dtype":"F64","shape":[1],"data_offsets":[0,4]}}', f32([1]))),
    ).toThrow(/names 'dtype' twice/);
    expect(() => loadSafetensors(file('{"a":[1,2]}'))).toThrow(/tensor 'a': expected \{ dtype, shape, data_offsets \}/);
    expect(() => loadSafetensors(file('{"__metadata__":{"epoch":3}}'))).toThrow(
      /'__metadata__' must map strings to strings/,
    );
  });

  it('accepts escaped quotes in names when checking for duplicates', () => {
    const entry = (begin: number) => `{"dtype":"F32","shape":[1],"data_offsets":[${begin},${begin + 4}]}`;
    const tensors = loadSafetensors(file(`{"a\\"b":${entry(0)},"a\\\\":${entry(4)}}`, f32([1, 2])));
    expect(Object.keys(tensors).sort()).toEqual(['a"b', 'a\\']);
  });
});
