// The committed Fashion-MNIST test set (weights/data/fashion-mnist, MIT licence beside it):
// idx files → 28×28 gray images the SDK takes as they are.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

const DIR = new URL('../weights/data/fashion-mnist/', import.meta.url);

function readIdx(name: string): { dims: number[]; data: Uint8Array } {
  const b = gunzipSync(readFileSync(new URL(name, DIR)));
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (view.getUint16(0) !== 0 || view.getUint8(2) !== 0x08) throw new Error(`${name}: not an unsigned-byte idx file`);
  const ndim = view.getUint8(3);
  const dims = Array.from({ length: ndim }, (_, i) => view.getUint32(4 + 4 * i));
  return {
    dims,
    data: new Uint8Array(
      b.buffer,
      b.byteOffset + 4 + 4 * ndim,
      dims.reduce((a, d) => a * d, 1),
    ),
  };
}

export interface GrayImage {
  data: Uint8Array;
  width: number;
  height: number;
  channels: 1;
}

export function fashionMnistTest(count = 10_000): { images: GrayImage[]; labels: Uint8Array } {
  const x = readIdx('t10k-images-idx3-ubyte.gz'),
    y = readIdx('t10k-labels-idx1-ubyte.gz');
  const [n, h, w] = x.dims;
  const k = Math.min(count, n);
  const images = Array.from({ length: k }, (_, i) => ({
    data: x.data.subarray(i * h * w, (i + 1) * h * w),
    width: w,
    height: h,
    channels: 1 as const,
  }));
  return { images, labels: y.data.subarray(0, k) };
}
