// Compile-time test of the public ImageSource type, checked by `npm run typecheck` (the root
// project has the DOM's types) and never run: the browser's own image sources, pixels and
// tensors are accepted, and each line under a @ts-expect-error must fail to compile — if one
// compiles (ImageSource accepting anything, as `object` did), the check fails. Only function
// bodies, so a test runner that picks this file up has nothing to run.
import type { Classifier } from '../../ts-sdk/index.ts';

declare const clf: Classifier;
declare const bitmap: ImageBitmap;
declare const img: HTMLImageElement;
declare const canvas: HTMLCanvasElement;
declare const offscreen: OffscreenCanvas;
declare const video: HTMLVideoElement;
declare const frame: VideoFrame;
declare const blob: Blob;
declare const file: File;
declare const imageData: ImageData;

export function accepted(): unknown[] {
  return [
    clf.classify(bitmap),
    clf.classify(img),
    clf.classify(canvas),
    clf.classify(offscreen),
    clf.classify(video),
    clf.classify(frame),
    clf.classify(blob),
    clf.classify(file),
    clf.classify(imageData),
    clf.classify({ data: new Uint8Array(12), width: 2, height: 2, channels: 3 }),
    clf.logits(new Float32Array(3 * 224 * 224)),
  ];
}

export function refused(): void {
  // @ts-expect-error a plain object is no image
  void clf.logits({});
  // @ts-expect-error a size without pixels
  void clf.logits({ width: 2, height: 2 });
  // @ts-expect-error a path: read and decode it first (decodeImage)
  void clf.classify('photo.png');
  // @ts-expect-error encoded bytes: decode them first
  void clf.classify(new Uint8Array(8));
  // @ts-expect-error a number
  void clf.logits(42);
}
