// Shared by the head tests: seeded images with a learnable class (which third of the image is
// brightest), their embeddings by a pack's backbone, and a head trained on them.
import { load, trainHead, type ImageInput, type TrainHeadOptions } from '../../ts-sdk/index.ts';
import { rng } from '../helpers/rng.ts';

export const CLASSES = ['left', 'middle', 'right'];

/** `n` seeded 24×18 RGB images: noise, plus a bright vertical band in the third that is the class. */
export function bandImages(n: number, seed: number): { images: ImageInput[]; labels: number[] } {
  const r = rng(seed);
  const images: ImageInput[] = [],
    labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const label = i % 3,
      width = 24,
      height = 18;
    const data = new Uint8Array(width * height * 3);
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        const band = Math.floor(x / 8) === label ? 150 : 0;
        for (let c = 0; c < 3; c++) data[(y * width + x) * 3 + c] = Math.min(255, band + r.int(0, 100));
      }
    images.push({ data, width, height, channels: 3 });
    labels.push(label);
  }
  return { images, labels };
}

export async function embedAll(pack: Uint8Array, images: ImageInput[], simd?: 'simd' | 'relaxed'): Promise<Float32Array[]> {
  const clf = await load(pack, { simd });
  const out = await clf.embed(images);
  clf.dispose();
  return out;
}

export async function trainedOn(pack: Uint8Array, n: number, seed: number, options: TrainHeadOptions = {}) {
  const { images, labels } = bandImages(n, seed);
  const embeddings = await embedAll(pack, images);
  const head = await trainHead(pack, { embeddings, labels, classes: CLASSES }, options);
  return { head, images, labels, embeddings };
}
