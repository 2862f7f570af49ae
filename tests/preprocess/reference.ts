// Loads tests/fixtures/preprocess/reference.json (written by make_reference.py) and the photos.
import { readFileSync } from 'node:fs';
import type { InputSpec } from '../../ts-sdk/model/graph.ts';
import { decodeImage } from '../../ts-sdk/decode/index.ts';
import type { DecodedImage } from '../../ts-sdk/decode/index.ts';

const dir = new URL('../fixtures/preprocess/', import.meta.url);

export interface RefCase {
  photo: string;
  spec: string;
  /** pil: torchvision on the PIL image; tensor(64): Resize(antialias=True) on float32 (float64); interpolate: F.interpolate as in training. */
  path: 'pil' | 'tensor' | 'tensor64' | 'interpolate';
  shape: [number, number, number];
  stats: { mean: number[]; std: number[]; min: number[]; max: number[] };
  sampleStride: number;
  sampledPlanes: number;
  /** samples[p][i] = plane p, flat index i · sampleStride (base64 of little-endian f32). */
  samples: string;
  pilVsTensor?: { maxAbs: number; meanAbs: number };
}

export interface Reference {
  versions: Record<string, string>;
  specs: Record<string, InputSpec>;
  cases: RefCase[];
}

export const reference: Reference = JSON.parse(readFileSync(new URL('reference.json', dir), 'utf8'));

export function decodeSamples(c: RefCase): Float32Array {
  const bytes = Uint8Array.from(atob(c.samples), (ch) => ch.charCodeAt(0));
  const view = new DataView(bytes.buffer);
  return Float32Array.from({ length: bytes.length / 4 }, (_, i) => view.getFloat32(4 * i, true));
}

const photos = new Map<string, DecodedImage>();
export function photo(path: string): DecodedImage {
  let img = photos.get(path);
  if (!img) photos.set(path, (img = decodeImage(readFileSync(new URL(path, dir)))));
  return img;
}

export const fixture = (path: string): Uint8Array => readFileSync(new URL(path, dir));
