// Runs in the page (Chromium, Firefox or WebKitGTK, served by browser.ts on loopback; esbuild
// strips the types). Loads the built package from /dist/index.js, each pack by URL (fetch + streaming
// progress), runs the scenario; then decodes each PNG itself (a Blob → createImageBitmap →
// canvas, the SDK's browser path) and classifies that too. Leaves the outcome on `window`.
import { classifyOne, jobImages, runScenario, type Build, type Job, type Sdk } from './scenario.ts';

interface Outcome {
  done: boolean;
  result?: unknown;
  error?: string;
}
const out: Outcome = { done: false };
(globalThis as unknown as { __crossRuntime: Outcome }).__crossRuntime = out;

async function main(): Promise<void> {
  const job = (await (await fetch('/job.json')).json()) as Job;
  const sdk = (await import(/* @vite-ignore */ '/dist/index.js' as string)) as Sdk;
  const packUrl = (path: string) => new URL(`/repo/${path}`, location.href);
  const result = await runScenario({
    sdk,
    runtime: navigator.userAgent,
    packs: job.packs.map((p) => ({ name: p.name, source: () => packUrl(p.path) })),
    images: jobImages(job),
  });
  // The browser's own decoding: the PNG file as a Blob, pixels read through a canvas.
  const pack = job.packs[0];
  if (pack) {
    const blobs = await Promise.all(job.images.map(async (im) => [im.name, await (await fetch(`/repo/${im.path}`)).blob()] as const));
    for (const build of (result.features.relaxedSimd ? ['simd', 'relaxed'] : ['simd']) as Build[]) {
      const clf = await sdk.load(await fetch(packUrl(pack.path)), { simd: build }); // a Response this time
      const images = [];
      for (const [name, blob] of blobs) images.push(await classifyOne(clf, name, blob));
      clf.dispose();
      result.extra.push({ name: 'blob-decoded', pack: pack.name, build, images });
    }
  }
  out.result = result;
}

main().then(
  () => {
    out.done = true;
  },
  (e: unknown) => {
    out.error = e instanceof Error ? `${e.name}: ${e.message}\n${e.stack ?? ''}` : String(e);
    out.done = true;
  },
);
