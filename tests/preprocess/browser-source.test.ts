// toImageData: in Node (no canvas) it names the missing feature; with stand-ins for the
// browser globals it takes the right path for each source type. Stand-ins only: no test
// here runs a real browser's canvas (an e2e suite with playwright-core should).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { preprocess, toImageData } from '../../ts-sdk/preprocess/index.ts';
import { RuntimeFeatureError } from '../../ts-sdk/kernels/features.ts';

type G = Record<string, unknown>;
const g = globalThis as unknown as G;
const STUBS = ['ImageBitmap', 'HTMLImageElement', 'HTMLCanvasElement', 'OffscreenCanvas', 'createImageBitmap', 'document'];

class FakeBitmap {
  closed = false;
  constructor(
    public width: number,
    public height: number,
  ) {}
  close() {
    this.closed = true;
  }
}
class FakeImage {
  complete = false;
  naturalWidth = 0;
  naturalHeight = 0;
  async decode() {
    Object.assign(this, { complete: true, naturalWidth: 3, naturalHeight: 2 });
  }
}

/** Canvas stand-in: getImageData returns pixel i = [i, 2i, 3i, 255]; records what was drawn. */
function fakeCanvasClass(log: { drawn: unknown[]; size?: number[] }, opts: { noContext?: boolean; tainted?: boolean } = {}) {
  return class {
    constructor(
      public width = 0,
      public height = 0,
    ) {}
    getContext() {
      if (opts.noContext) return null;
      return {
        drawImage: (src: unknown) => {
          log.drawn.push(src);
          log.size = [this.width, this.height];
        },
        getImageData: (_x: number, _y: number, w: number, h: number) => {
          if (opts.tainted) throw new Error('SecurityError');
          return { data: new Uint8ClampedArray(w * h * 4).map((_, i) => (i % 4 === 3 ? 255 : (Math.floor(i / 4) * ((i % 4) + 1)) & 255)) };
        },
      };
    }
  };
}

function withGlobals(globals: G, fn: () => Promise<void>) {
  return async () => {
    Object.assign(g, globals);
    try {
      await fn();
    } finally {
      for (const k of STUBS) delete g[k];
    }
  };
}

async function rejects(p: Promise<unknown>, type: abstract new (...args: never[]) => Error, pattern: RegExp) {
  try {
    await p;
  } catch (e) {
    assert.instance(e, type);
    assert.match((e as Error).message, pattern);
    return;
  }
  assert.unreachable(`expected ${type.name} ${pattern}`);
}

test('in Node: a Blob needs createImageBitmap, and the error points at decodeImage', async () => {
  await rejects(
    toImageData(new Blob([new Uint8Array(4)])),
    RuntimeFeatureError,
    /needs createImageBitmap\(\), which this runtime lacks; .*decodeImage\(\)/,
  );
});

test('unsupported sources: TypeError listing the accepted ones', async () => {
  // Hostile on purpose: neither is a BrowserImageSource, so the type check refuses them too.
  await rejects(
    toImageData({ width: 2, height: 2 } as never),
    TypeError,
    /expected an ImageBitmap, HTMLImageElement, HTMLCanvasElement, OffscreenCanvas, HTMLVideoElement, VideoFrame or Blob, got Object/,
  );
  await rejects(toImageData(42 as never), TypeError, /got number 42/);
});

test(
  'Blob → createImageBitmap (no premultiply, no colour conversion) → canvas; the bitmap is closed',
  withGlobals({}, async () => {
    const log = { drawn: [] as unknown[], size: [] as number[] };
    let bitmap: FakeBitmap | undefined;
    let options: unknown;
    Object.assign(g, {
      ImageBitmap: FakeBitmap,
      OffscreenCanvas: fakeCanvasClass(log),
      createImageBitmap: async (_src: unknown, o: unknown) => {
        options = o;
        return (bitmap = new FakeBitmap(3, 2));
      },
    });
    const img = await toImageData(new Blob([new Uint8Array(4)]));
    assert.equal([img.width, img.height, img.channels, img.data.length], [3, 2, 4, 24]);
    assert.equal(Array.from(img.data.subarray(4, 8)), [1, 2, 3, 255]);
    assert.equal(options, { premultiplyAlpha: 'none', colorSpaceConversion: 'none' });
    assert.ok(bitmap?.closed);
    assert.equal(log.size, [3, 2]);
    // The result is a valid preprocess input as is.
    assert.is(
      preprocess(img, {
        height: 2,
        width: 2,
        channels: 3,
        resize: 0,
        crop: 'none',
        interpolation: 'bilinear',
        mean: [0, 0, 0],
        std: [1, 1, 1],
        color: 'rgb',
      }).length,
      12,
    );
  }),
);

test(
  "a caller's ImageBitmap is drawn, not closed; an unloaded <img> is decoded first",
  withGlobals({}, async () => {
    const log = { drawn: [] as unknown[] };
    Object.assign(g, { ImageBitmap: FakeBitmap, HTMLImageElement: FakeImage, OffscreenCanvas: fakeCanvasClass(log) });
    const bitmap = new FakeBitmap(4, 1);
    assert.is((await toImageData(bitmap)).width, 4);
    assert.not.ok(bitmap.closed);
    const img = new FakeImage();
    const out = await toImageData(img);
    assert.equal([out.width, out.height], [3, 2]);
    assert.is(log.drawn[1], img);
  }),
);

test(
  'no OffscreenCanvas 2D: falls back to a DOM canvas; neither: names what is missing',
  withGlobals({}, async () => {
    const log = { drawn: [] as unknown[] };
    const DomCanvas = fakeCanvasClass(log);
    Object.assign(g, {
      ImageBitmap: FakeBitmap,
      OffscreenCanvas: fakeCanvasClass(log, { noContext: true }), // Safari < 16.4
      document: { createElement: () => new DomCanvas() },
    });
    assert.is((await toImageData(new FakeBitmap(2, 2))).data.length, 16);
    delete g.document;
    await rejects(toImageData(new FakeBitmap(2, 2)), Error, /needs a 2D canvas \(OffscreenCanvas or document.createElement\('canvas'\)\)/);
  }),
);

test(
  'a tainted canvas: the error says how to fix it',
  withGlobals({}, async () => {
    Object.assign(g, { ImageBitmap: FakeBitmap, OffscreenCanvas: fakeCanvasClass({ drawn: [] }, { tainted: true }) });
    await rejects(toImageData(new FakeBitmap(2, 2)), Error, /cross-origin image without CORS .* crossOrigin = 'anonymous'/);
  }),
);

test(
  'a zero-size source (broken image): RangeError',
  withGlobals({}, async () => {
    Object.assign(g, { ImageBitmap: FakeBitmap, OffscreenCanvas: fakeCanvasClass({ drawn: [] }) });
    await rejects(toImageData(new FakeBitmap(0, 5)), RangeError, /source width must be an integer in \[1, \d+\], got 0/);
  }),
);

test.run();
