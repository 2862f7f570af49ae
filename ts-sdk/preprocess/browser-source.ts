// Browser image sources → RGBA pixels through a 2D canvas. Every browser API is looked up
// on globalThis when called, and no DOM type appears in a signature (structural types of the
// members used, below), so importing this module is harmless in Node, Deno, Bun and workerd
// and our .d.ts compiles without the DOM lib, while the DOM's own types fit them.
import { checkSide, describe } from './validate-image.ts';
import { RuntimeFeatureError } from '../kernels/features.ts';

/** What `toImageData` returns: an `ImageInput` with RGBA samples. */
export interface RgbaImage {
  data: Uint8ClampedArray;
  width: number;
  height: number;
  channels: 4;
}

/** An ImageBitmap (drawn; the caller's, so never closed here). */
export interface BitmapSource {
  readonly width: number;
  readonly height: number;
  close(): void;
}
/** An HTMLImageElement (`<img>`), decoded first if it is still loading. */
export interface ImageElementSource {
  readonly complete: boolean;
  readonly naturalWidth: number;
  readonly naturalHeight: number;
  decode(): Promise<void>;
}
/** An HTMLCanvasElement or OffscreenCanvas (drawn like a bitmap, whatever its context). */
export interface CanvasSource {
  width: number;
  height: number;
  getContext(contextId: '2d'): unknown;
}
/** An HTMLVideoElement: its current frame. */
export interface VideoElementSource {
  readonly videoWidth: number;
  readonly videoHeight: number;
  readonly readyState: number;
}
/** A VideoFrame (WebCodecs). */
export interface VideoFrameSource {
  readonly displayWidth: number;
  readonly displayHeight: number;
  close(): void;
}
/** A Blob or File holding an encoded image, decoded with createImageBitmap. */
export interface BlobSource {
  readonly size: number;
  readonly type: string;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/**
 * ImageBitmap, HTMLImageElement, HTMLCanvasElement, OffscreenCanvas, HTMLVideoElement,
 * VideoFrame or Blob/File: each typed by the members toImageData uses, so the DOM's types are
 * accepted and a plain object, a string or encoded bytes are compile-time errors.
 */
export type BrowserImageSource = BitmapSource | ImageElementSource | CanvasSource | VideoElementSource | VideoFrameSource | BlobSource;

interface Ctx2D {
  drawImage(src: object, x: number, y: number): void;
  getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
}
interface CanvasLike {
  width: number;
  height: number;
  getContext(kind: '2d', opts?: object): Ctx2D | null;
}
type Ctor = abstract new (...args: never[]) => object;
interface Bitmap {
  width: number;
  height: number;
  close(): void;
}
interface Globals {
  Blob?: Ctor;
  ImageBitmap?: Ctor;
  HTMLImageElement?: Ctor;
  HTMLCanvasElement?: Ctor;
  HTMLVideoElement?: Ctor;
  OffscreenCanvas?: new (w: number, h: number) => CanvasLike;
  VideoFrame?: Ctor;
  createImageBitmap?: (src: object, opts?: object) => Promise<Bitmap>;
  document?: { createElement(tag: 'canvas'): CanvasLike };
}

const FN = 'toImageData';
const ACCEPTED = 'an ImageBitmap, HTMLImageElement, HTMLCanvasElement, OffscreenCanvas, HTMLVideoElement, VideoFrame or Blob';

const is = (v: object, ctor: Ctor | undefined): boolean => typeof ctor === 'function' && v instanceof ctor;

/** Reads the pixels of a browser image source (natural size, alpha kept, never premultiplied). */
export async function toImageData(source: BrowserImageSource): Promise<RgbaImage> {
  const g = globalThis as unknown as Globals;
  if (typeof source !== 'object' || source === null) throw new TypeError(`${FN}: expected ${ACCEPTED}, got ${describe(source)}`);
  if (is(source, g.Blob)) {
    if (typeof g.createImageBitmap !== 'function') {
      throw new RuntimeFeatureError(
        'createImageBitmap',
        `${FN}: decoding a Blob needs createImageBitmap(), which this runtime lacks; decode its bytes with decodeImage() from the decode entry point instead`,
      );
    }
    // Raw decoded values, as PIL and decodeImage read them: no colour-profile conversion, no
    // premultiplying. EXIF orientation is applied (the default 'from-image'), as decodeImage does.
    const bitmap = await g.createImageBitmap(source, { premultiplyAlpha: 'none', colorSpaceConversion: 'none' });
    try {
      return draw(g, bitmap, bitmap.width, bitmap.height);
    } finally {
      bitmap.close();
    }
  }
  if (is(source, g.HTMLImageElement)) {
    const img = source as ImageElementSource;
    if (!img.complete || img.naturalWidth === 0) await img.decode(); // rejects if the image is broken
    return draw(g, img, img.naturalWidth, img.naturalHeight);
  }
  if (is(source, g.HTMLVideoElement)) {
    const video = source as VideoElementSource;
    if (video.readyState < 2)
      throw new RangeError(`${FN}: the video has no current frame yet (readyState ${video.readyState}); wait for 'loadeddata'`);
    return draw(g, video, video.videoWidth, video.videoHeight);
  }
  if (is(source, g.VideoFrame)) {
    const frame = source as VideoFrameSource;
    return draw(g, frame, frame.displayWidth, frame.displayHeight);
  }
  // Canvases are drawn like bitmaps rather than read through their own getContext('2d'),
  // which would fail on a WebGL canvas and lock a fresh canvas to 2D.
  if (is(source, g.ImageBitmap) || is(source, g.HTMLCanvasElement) || is(source, g.OffscreenCanvas)) {
    const s = source as BitmapSource | CanvasSource;
    return draw(g, s, s.width, s.height);
  }
  throw new TypeError(`${FN}: expected ${ACCEPTED}, got ${describe(source)}`);
}

function draw(g: Globals, src: object, width: number, height: number): RgbaImage {
  checkSide(FN, 'source width', width);
  checkSide(FN, 'source height', height);
  const ctx = scratchContext(g, width, height);
  ctx.drawImage(src, 0, 0);
  let data: Uint8ClampedArray;
  try {
    data = ctx.getImageData(0, 0, width, height).data;
  } catch (e) {
    throw new Error(
      `${FN}: the canvas refused to give its pixels (a cross-origin image without CORS taints it; load it with crossOrigin = 'anonymous')`,
      { cause: e },
    );
  }
  return { data, width, height, channels: 4 };
}

/** A 2D context of the given size: OffscreenCanvas where it has 2D (Safari < 16.4 does not), else a DOM canvas. */
function scratchContext(g: Globals, width: number, height: number): Ctx2D {
  const opts = { willReadFrequently: true, colorSpace: 'srgb' };
  if (typeof g.OffscreenCanvas === 'function') {
    const ctx = new g.OffscreenCanvas(width, height).getContext('2d', opts);
    if (ctx) return ctx;
  }
  if (g.document && typeof g.document.createElement === 'function') {
    const canvas = g.document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const ctx = canvas.getContext('2d', opts);
    if (ctx) return ctx;
  }
  throw new Error(
    `${FN}: reading pixels needs a 2D canvas (OffscreenCanvas or document.createElement('canvas')), which this runtime lacks`,
  );
}
