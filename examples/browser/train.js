// The training page: classes of images (dropped, chosen or captured from the camera) → a head
// trained in a Web Worker (trainer.worker.js) → held-out accuracy, a try-it box, and the new
// pack as a download.
//   ?pack=URL   the base pack whose backbone embeds the images (default: the shipped ResNet-18)

const DEFAULT_PACK = new URL('../../weights/packs/resnet18-fmnist-int8.pack', import.meta.url);
const params = new URLSearchParams(location.search);
const packUrl = new URL(params.get('pack') ?? DEFAULT_PACK, location.href).href;
const $ = (id) => document.getElementById(id);

// ── The worker, as promises ─────────────────────────────────────────────────────────────────

const worker = new Worker(new URL('./trainer.worker.js', import.meta.url), { type: 'module', name: 'edge-resnet-trainer' });
const pending = new Map();
let nextId = 1;
let onProgress = () => {};
worker.onmessage = ({ data }) => {
  if (data.type === 'progress') return onProgress(data);
  const call = pending.get(data.id);
  pending.delete(data.id);
  if (data.type === 'error') call?.reject(new Error(data.message));
  else call?.resolve(data);
};
worker.onerror = (e) => {
  e.preventDefault();
  for (const call of pending.values()) call.reject(new Error(e.message || 'the Web Worker failed to start'));
  pending.clear();
};
const ask = (msg, transfer) =>
  new Promise((resolve, reject) => {
    const id = nextId++;
    pending.set(id, { resolve, reject });
    worker.postMessage({ ...msg, id }, transfer ?? []);
  });

// ── Classes ─────────────────────────────────────────────────────────────────────────────────

/** [{ name, images: [{ id, blob }] }]; each image id is unique, so the worker embeds it once. */
const classes = [];
let imageId = 0;
let trained = false;
let version = 0; // bumped by every change, so a training that finishes after one is not taken as current

function addClass(name = `Class ${classes.length + 1}`) {
  const c = { name, images: [] };
  classes.push(c);
  const card = document.createElement('div');
  card.className = 'class-card';
  card.innerHTML = `<div class="class-head"><input class="class-name" aria-label="class name"><span class="count"></span></div>
    <div class="thumbs"></div>
    <div class="class-actions"><button type="button" class="small choose">Add images…</button>
    <input class="class-files visually-hidden" type="file" accept="image/*" multiple>
    <button type="button" class="small capture" hidden>Capture</button>
    <button type="button" class="small clear">Clear</button><button type="button" class="small remove">Remove class</button></div>`;
  const name$ = card.querySelector('.class-name'),
    files$ = card.querySelector('.class-files');
  name$.value = name;
  name$.addEventListener('input', () => ((c.name = name$.value.trim()), changed()));
  card.querySelector('.choose').onclick = () => files$.click();
  files$.addEventListener('change', () => addImages(c, card, [...files$.files]));
  card.querySelector('.capture').onclick = () =>
    capture().then(
      (blob) => addImages(c, card, [blob]),
      (e) => showError('Camera', e),
    );
  card.querySelector('.clear').onclick = () => ((c.images = []), card.querySelector('.thumbs').replaceChildren(), changed());
  card.querySelector('.remove').onclick = () => (classes.splice(classes.indexOf(c), 1), card.remove(), changed());
  card.addEventListener('dragover', (e) => (e.preventDefault(), card.classList.add('dragging')));
  card.addEventListener('dragleave', () => card.classList.remove('dragging'));
  card.addEventListener('drop', (e) => {
    e.preventDefault();
    card.classList.remove('dragging');
    addImages(c, card, [...(e.dataTransfer?.files ?? [])]);
  });
  $('classes').append(card);
  changed();
}

function addImages(c, card, blobs) {
  for (const blob of blobs.filter((b) => !b.type || b.type.startsWith('image/'))) {
    c.images.push({ id: imageId++, blob });
    const img = Object.assign(document.createElement('img'), { src: URL.createObjectURL(blob), alt: '' });
    card.querySelector('.thumbs').append(img);
  }
  changed();
}

/** Something the training depends on changed: the old head no longer describes these classes. */
function changed() {
  document.querySelectorAll('.class-card').forEach((card, i) => {
    card.querySelector('.count').textContent = `${classes[i].images.length} image${classes[i].images.length === 1 ? '' : 's'}`;
  });
  const ready = classes.filter((c) => c.images.length > 0);
  const names = classes.map((c) => c.name);
  const problem =
    ready.length < 2
      ? 'Add at least one image to each of two classes.'
      : ready.length < classes.length
        ? 'Every class needs at least one image (or remove the empty ones).'
        : names.some((n) => !n)
          ? 'Every class needs a name.'
          : new Set(names).size < names.length
            ? 'Class names must differ.'
            : '';
  const images = classes.reduce((n, c) => n + c.images.length, 0);
  version++;
  if ($('stop').hidden)
    setStatus(
      'idle',
      problem || `${trained ? 'The classes changed. ' : ''}Ready to train on ${images} images in ${classes.length} classes.`,
    );
  trained = false;
  $('train').disabled = !!problem || document.body.dataset.model !== 'ready' || !$('stop').hidden;
  $('download').disabled = true;
}

// ── Camera ──────────────────────────────────────────────────────────────────────────────────

let stream;
$('camera').onclick = async () => {
  try {
    if (stream) {
      stream.getTracks().forEach((t) => t.stop());
      stream = undefined;
    } else {
      stream = await navigator.mediaDevices.getUserMedia({ video: true });
      $('video').srcObject = stream;
    }
    $('video').hidden = !stream;
    $('camera').setAttribute('aria-pressed', String(!!stream));
    document.querySelectorAll('.capture').forEach((b) => (b.hidden = !stream));
  } catch (e) {
    showError('Camera', e);
  }
};

/** The camera's current frame as a PNG. */
function capture() {
  const v = $('video'),
    canvas = document.createElement('canvas');
  canvas.width = v.videoWidth;
  canvas.height = v.videoHeight;
  canvas.getContext('2d').drawImage(v, 0, 0);
  return new Promise((ok, fail) => canvas.toBlob((b) => (b ? ok(b) : fail(new Error('no camera frame yet'))), 'image/png'));
}

// ── Training ────────────────────────────────────────────────────────────────────────────────

function setStatus(state, text) {
  $('train-status').dataset.state = state;
  $('train-status').textContent = text;
}

function showError(where, e) {
  $('error').textContent = `${where}: ${e instanceof Error ? e.message : String(e)}`;
  $('error').hidden = false;
}

$('train').onclick = async () => {
  $('error').hidden = true;
  $('train').disabled = true;
  $('stop').hidden = false;
  $('download').disabled = true;
  $('results').replaceChildren();
  setStatus('busy', 'Starting…');
  const started = version;
  onProgress = (p) =>
    setStatus(
      'busy',
      p.phase === 'embed' ? `Embedding images… ${p.loaded} / ${p.total}` : `Training… iteration ${p.loaded}, loss ${p.loss.toFixed(4)}`,
    );
  try {
    const r = await ask({
      type: 'train',
      classes: classes.map((c) => ({ name: c.name, images: c.images })),
      holdout: Number($('holdout').value),
      method: $('method').value,
    });
    const pct = (right, n) => `${((100 * right) / n).toFixed(1)} %`;
    const accuracy = r.heldOut
      ? `Held-out accuracy ${pct(r.heldOutRight, r.heldOut)} (${r.heldOutRight} of ${r.heldOut} images kept out of training)`
      : `Accuracy on the training images ${pct(r.trainRight, r.trained)} (none held out)`;
    const how = r.training.method === 'logistic' ? `${r.training.iterations} iterations` : 'class means';
    setStatus(
      'done',
      `${accuracy}. Trained on ${r.trained} images in ${r.trainMs.toFixed(0)} ms (${how}); embedding took ${r.embedMs.toFixed(0)} ms.`,
    );
    $('train-status').dataset.trainMs = String(r.trainMs);
    trained = version === started;
    $('download').disabled = !trained;
  } catch (e) {
    setStatus('error', `Training failed: ${e.message}`);
  } finally {
    $('stop').hidden = true;
    $('train').disabled = false;
    if (version !== started) changed();
  }
};

$('stop').onclick = () => worker.postMessage({ type: 'stop' });

$('download').onclick = async () => {
  try {
    const { bytes } = await ask({ type: 'save' });
    const a = Object.assign(document.createElement('a'), { href: URL.createObjectURL(new Blob([bytes])), download: 'my-classes.pack' });
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  } catch (e) {
    showError('Saving the pack', e);
  }
};

// ── Try it ──────────────────────────────────────────────────────────────────────────────────

async function tryImage(blob) {
  if (!trained) return showError('Try it', new Error('train first'));
  const img = $('try-preview');
  if (img.src) URL.revokeObjectURL(img.src);
  img.src = URL.createObjectURL(blob);
  img.hidden = false;
  $('try-drop').classList.add('has-image');
  try {
    const { top } = await ask({ type: 'classify', image: blob });
    $('results').replaceChildren(
      ...top.map((p) => {
        const li = document.createElement('li');
        li.className = 'prediction';
        const bar = document.createElement('span');
        bar.className = 'bar';
        bar.append(Object.assign(document.createElement('span'), { style: `width: ${Math.max(p.score * 100, 0.5)}%` }));
        li.append(
          Object.assign(document.createElement('span'), { className: 'rank', textContent: String(top.indexOf(p) + 1) }),
          Object.assign(document.createElement('span'), { className: 'label', textContent: p.label }),
          bar,
          Object.assign(document.createElement('span'), { className: 'pct', textContent: `${(p.score * 100).toFixed(1)} %` }),
        );
        return li;
      }),
    );
    $('results').dataset.state = 'done';
  } catch (e) {
    showError('Try it', e);
  }
}
$('try-file').addEventListener('change', (e) => e.target.files?.[0] && tryImage(e.target.files[0]));
$('try-drop').addEventListener('dragover', (e) => e.preventDefault());
$('try-drop').addEventListener('drop', (e) => {
  e.preventDefault();
  const f = e.dataTransfer?.files?.[0];
  if (f) void tryImage(f);
});

// ── Start ───────────────────────────────────────────────────────────────────────────────────

$('add-class').onclick = () => addClass();
addClass();
addClass();
onProgress = ({ phase, loaded, total }) => {
  $('status-text').textContent =
    phase === 'download' && total
      ? `Downloading the model… ${(loaded / 2 ** 20).toFixed(1)} / ${(total / 2 ** 20).toFixed(1)} MB`
      : 'Preparing the network…';
  if (phase === 'download' && total) $('progress').value = loaded / total;
};
ask({ type: 'open', packUrl }).then(
  ({ info }) => {
    $('status').replaceChildren(
      ...[
        `${info.arch} · ${info.precision}`,
        info.simd === 'relaxed' ? 'relaxed SIMD' : 'SIMD',
        'in a Web Worker',
        `base: ${decodeURIComponent(new URL(packUrl).pathname.split('/').pop())}`,
      ].map((text) => Object.assign(document.createElement('span'), { className: 'pill', textContent: text })),
    );
    document.body.dataset.model = 'ready';
    changed();
  },
  (e) => {
    document.body.dataset.model = 'error';
    $('status-text').textContent = 'No model: pass a base pack with ?pack=URL.';
    $('progress').hidden = true;
    showError('Could not load the model', e);
  },
);
