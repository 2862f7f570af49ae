#!/usr/bin/python3
"""Train torchvision resnet18 / resnet34 (architecture unchanged, num_classes=10) or the
paper's CIFAR ResNet-20/32/44/56/110 (cifar_resnet.py, option-A shortcuts) on Fashion-MNIST,
reproducibly, on CPU; then record accuracy and export ONNX.

Run with the Debian python (python3-torch 1.13, python3-torchvision 0.14):

    nice -n 19 /usr/bin/python3 weights/train/train.py --arch resnet18 --size 64 --epochs 6

Preprocessing (must match the JS SDK exactly):
  uint8 28x28 -> float32 /255 in [0,1]
  -> F.interpolate(size=(S,S), mode='bilinear', align_corners=False, antialias=True)
     (float, no rounding back to uint8)
  -> (x - MEAN) / STD with the same MEAN/STD on each of the 3 channels
  -> grayscale replicated to 3 channels.
Test-time transform is exactly that. Training augmentation (on the resized,
normalized tensors): random shift by zero(background)-padding + random crop,
and random horizontal flip.

Checkpoints after each epoch (and every --ckpt-minutes) to
weights/train/runs/<arch>-s<S>-e<E>-seed<seed>-ckpt.pt; re-running
the same command resumes from it (same seed, same data order), so an interrupted
run can be finished by a later session.

Bit-identical reruns need a fixed --threads (and the same CPU and torch build): the
OpenMP thread count changes the float summation order, and training amplifies that.
Each launch records how many batches ran at each thread count.

Outputs:
  weights/train/results/<arch>.json           accuracy, epochs, size, seed, command, ...
  weights/train/out/<arch>-fmnist.onnx        (gitignored)
  weights/train/out/<arch>-fmnist.pt          state_dict (gitignored)
  weights/train/out/<arch>-fmnist-logits1000.f32  fp32 LE logits, first 1000 test images, [1000,10] row-major (gitignored)
"""
import argparse
import gzip
import json
import os
import platform
import random
import shlex
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision

import cifar_resnet

HERE = os.path.dirname(os.path.abspath(__file__))
MEAN = 0.2860
STD = 0.3530
CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
           "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]


def read_idx_gz(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic = int.from_bytes(data[0:4], "big")
    ndim = magic & 0xFF
    assert (magic >> 8) == 0x08, "expected unsigned byte idx file: %s" % path
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    off = 4 + 4 * ndim
    arr = np.frombuffer(data, dtype=np.uint8, offset=off)
    assert arr.size == int(np.prod(dims))
    return arr.reshape(dims)


def load_split(data_dir, split):
    prefix = "train" if split == "train" else "t10k"
    x = read_idx_gz(os.path.join(data_dir, "%s-images-idx3-ubyte.gz" % prefix))
    y = read_idx_gz(os.path.join(data_dir, "%s-labels-idx1-ubyte.gz" % prefix))
    return torch.from_numpy(x.copy()), torch.from_numpy(y.astype(np.int64))


def preprocess(x_u8, size, chunk=2000):
    """uint8 [N,28,28] -> float32 [N,1,S,S], resized on floats in [0,1] then normalized.
    Kept single-channel in memory; replicated to 3 channels per batch (identical
    mean/std per channel, so replicate-then-normalize == normalize-then-replicate)."""
    out = []
    for i in range(0, x_u8.shape[0], chunk):
        x = x_u8[i:i + chunk].unsqueeze(1).to(torch.float32) / 255.0
        if size != x.shape[-1]:
            x = F.interpolate(x, size=(size, size), mode="bilinear",
                              align_corners=False, antialias=True)
        out.append((x - MEAN) / STD)
    return torch.cat(out).contiguous()


def to3(x):
    return x.expand(-1, 3, -1, -1)


def augment(x, pad, gen):
    """x: [B,1,S,S] normalized. Random shift in [-pad, pad] (filled with the
    normalized value of a black pixel) and random horizontal flip."""
    b, _, s, _ = x.shape
    if pad > 0:
        bg = (0.0 - MEAN) / STD
        xp = F.pad(x, (pad, pad, pad, pad), value=bg)
        ox = torch.randint(0, 2 * pad + 1, (b,), generator=gen)
        oy = torch.randint(0, 2 * pad + 1, (b,), generator=gen)
        x = torch.stack([xp[i, :, oy[i]:oy[i] + s, ox[i]:ox[i] + s] for i in range(b)])
    flip = torch.rand(b, generator=gen) < 0.5
    x = torch.where(flip.view(b, 1, 1, 1), x.flip(3), x)
    return x


ARCHS = ["resnet18", "resnet34"] + sorted(cifar_resnet.DEPTHS, key=cifar_resnet.DEPTHS.get)


def build_model(arch):
    if arch in cifar_resnet.DEPTHS:
        return cifar_resnet.build(arch, num_classes=10, option="A")
    return getattr(torchvision.models, arch)(weights=None, num_classes=10)


def model_description(arch):
    if arch in cifar_resnet.DEPTHS:
        return ("weights/train/cifar_resnet.py build(%r, num_classes=10, option='A'): the paper's CIFAR %s "
                "(16/32/64 filters, option-A zero-padded identity shortcuts)" % (arch, arch))
    return "torchvision.models.%s(weights=None, num_classes=10), architecture unchanged" % arch


@torch.no_grad()
def evaluate(model, x, y, bs=500, channels_last=False, return_logits=False):
    model.eval()
    correct = 0
    logits_all = []
    for i in range(0, x.shape[0], bs):
        xb = to3(x[i:i + bs])
        if channels_last:
            xb = xb.contiguous(memory_format=torch.channels_last)
        else:
            xb = xb.contiguous()
        logits = model(xb)
        correct += (logits.argmax(1) == y[i:i + bs]).sum().item()
        if return_logits:
            logits_all.append(logits.float())
    acc = correct / x.shape[0]
    if return_logits:
        return acc, torch.cat(logits_all)
    return acc


class AdaptiveThreads:
    """With --threads auto: run 2 OpenMP threads while the machine is otherwise idle, 1
    thread while other processes keep about a core busy. (A 2-thread OpenMP team at
    nice 19 stalls at every barrier when one core is taken: measured ~6-9 s/batch vs
    ~3.7 s/batch single-threaded for resnet18 at 64x64.) Data order and augmentation
    are unaffected; the float summation order, hence the exact weights, are not."""

    def __init__(self, every=10, hi=0.7, lo=0.35):
        self.every, self.hi, self.lo = every, hi, lo
        self.threads = 2
        torch.set_num_threads(2)
        self.snap = self._read()

    @staticmethod
    def _read():
        with open("/proc/stat") as f:
            v = [int(t) for t in f.readline().split()[1:]]
        busy = sum(v) - v[3] - v[4]  # minus idle, iowait
        with open("/proc/self/stat") as f:
            st = f.read().rsplit(")", 1)[1].split()
        own = int(st[11]) + int(st[12])  # utime + stime (clock ticks)
        return time.time(), busy, own

    def step(self, bi):
        if bi % self.every:
            return
        t, busy, own = self._read()
        t0, busy0, own0 = self.snap
        self.snap = (t, busy, own)
        hz = os.sysconf("SC_CLK_TCK")
        others = max(0.0, ((busy - busy0) - (own - own0)) / hz / max(t - t0, 1e-3))
        want = self.threads
        if self.threads == 2 and others > self.hi:
            want = 1
        elif self.threads == 1 and others < self.lo:
            want = 2
        if want != self.threads:
            self.threads = want
            torch.set_num_threads(want)


def cpu_model():
    """The CPU's model name: oneDNN picks its kernels by CPU, so bit-identical reruns need the same one."""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def save_ckpt(path, args, model, opt, sched, gen, epoch, log, train_time, mid, launches):
    torch.save({"args": vars(args), "model": model.state_dict(), "opt": opt.state_dict(),
                "sched": sched.state_dict(), "gen": gen.get_state(), "torch_rng": torch.get_rng_state(),
                "epoch": epoch, "log": log, "train_time": train_time, "mid": mid,
                "launches": launches}, path + ".tmp")
    os.replace(path + ".tmp", path)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--arch", choices=ARCHS, required=True)
    ap.add_argument("--size", type=int, default=64, help="input side S (images resized 28->S)")
    ap.add_argument("--epochs", type=int, default=6)
    ap.add_argument("--batch-size", type=int, default=128)
    ap.add_argument("--lr", type=float, default=0.1, help="peak LR of the one-cycle schedule")
    ap.add_argument("--momentum", type=float, default=0.9)
    ap.add_argument("--wd", type=float, default=5e-4)
    ap.add_argument("--label-smoothing", type=float, default=0.1)
    ap.add_argument("--pct-start", type=float, default=0.25, help="one-cycle warm-up fraction")
    ap.add_argument("--shift", type=float, default=0.125, help="max random shift as a fraction of S (0 = off)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", default="2", help="OpenMP threads: a number, or 'auto' (2 or 1 by load of other processes)")
    ap.add_argument("--channels-last", action="store_true")
    ap.add_argument("--data-dir", default="/usr/share/datasets/fashion-mnist")
    ap.add_argument("--runs-dir", default=os.path.join(HERE, "runs"))
    ap.add_argument("--out-dir", default=os.path.join(HERE, "out"))
    ap.add_argument("--results-dir", default=os.path.join(HERE, "results"))
    ap.add_argument("--bench-batches", type=int, default=0,
                    help="timing only: run this many training batches, print s/batch and the projected epoch time, exit")
    ap.add_argument("--no-resume", action="store_true")
    ap.add_argument("--train-subset", type=int, default=0, help="smoke tests only: use the first N training images")
    ap.add_argument("--ckpt-minutes", type=float, default=10.0, help="also checkpoint mid-epoch this often")
    ap.add_argument("--stop-after-batches", type=int, default=0,
                    help="checkpoint and exit after N training batches of this launch (the same command resumes)")
    ap.add_argument("--eval-images", type=int, default=2000,
                    help="per-epoch test accuracy on the first N test images (the last epoch always uses all 10000)")
    args = ap.parse_args()

    niceness = os.nice(0)
    command = ("nice -n %d " % niceness if niceness else "") + "/usr/bin/python3 " + " ".join(
        shlex.quote(a) for a in [os.path.relpath(os.path.abspath(sys.argv[0]), os.path.join(HERE, "..", ".."))] + sys.argv[1:])

    adaptive = None
    if args.threads == "auto":
        adaptive = AdaptiveThreads()
    else:
        torch.set_num_threads(int(args.threads))
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    gen = torch.Generator().manual_seed(args.seed)

    t0 = time.time()
    xtr_u8, ytr = load_split(args.data_dir, "train")
    xte_u8, yte = load_split(args.data_dir, "test")
    if args.train_subset:
        xtr_u8, ytr = xtr_u8[:args.train_subset], ytr[:args.train_subset]
    xtr = preprocess(xtr_u8, args.size)
    xte = preprocess(xte_u8, args.size)
    print("data: train %s test %s, preprocess %.1fs; train mean/std after resize (before normalize) %.4f/%.4f"
          % (tuple(xtr.shape), tuple(xte.shape), time.time() - t0,
             (xtr * STD + MEAN).mean().item(), (xtr * STD + MEAN).std().item()), flush=True)

    model = build_model(args.arch)
    if args.channels_last:
        model = model.to(memory_format=torch.channels_last)
    n = xtr.shape[0]
    steps_per_epoch = n // args.batch_size  # drop last partial batch
    opt = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=args.momentum,
                          weight_decay=args.wd, nesterov=True)
    sched = torch.optim.lr_scheduler.OneCycleLR(
        opt, max_lr=args.lr, epochs=args.epochs, steps_per_epoch=steps_per_epoch,
        pct_start=args.pct_start, anneal_strategy="cos", div_factor=25.0, final_div_factor=1e3)
    crit = nn.CrossEntropyLoss(label_smoothing=args.label_smoothing)
    pad = int(round(args.shift * args.size))

    os.makedirs(args.runs_dir, exist_ok=True)
    tag = "%s-s%d-e%d-seed%d" % (args.arch, args.size, args.epochs, args.seed)
    ckpt_path = os.path.join(args.runs_dir, tag + "-ckpt.pt")
    start_epoch = 0
    log = []
    train_time = 0.0
    resume_mid = None
    launches = []
    final_logits = None
    if not args.no_resume and not args.bench_batches and os.path.exists(ckpt_path):
        ck = torch.load(ckpt_path)
        ops = ("no_resume", "ckpt_minutes", "runs_dir", "out_dir", "results_dir", "threads", "eval_images",
               "stop_after_batches")
        same = lambda d: {k: v for k, v in d.items() if k not in ops}
        assert same(ck["args"]) == same(vars(args)), "checkpoint was made with other arguments"
        model.load_state_dict(ck["model"])
        opt.load_state_dict(ck["opt"])
        sched.load_state_dict(ck["sched"])
        gen.set_state(ck["gen"])
        torch.set_rng_state(ck["torch_rng"])
        start_epoch, log, train_time = ck["epoch"], ck["log"], ck["train_time"]
        launches = ck.get("launches", [{"command": "(first launch, not recorded in this checkpoint)"}])
        resume_mid = ck.get("mid")  # (perm, next batch index, loss_sum, correct, seen, epoch time so far)
        print("resumed from %s at epoch %d%s" % (ckpt_path, start_epoch,
              " batch %d" % resume_mid["bi"] if resume_mid else ""), flush=True)

    launches.append({"command": command, "start_epoch": start_epoch,
                     "start_batch": resume_mid["bi"] if resume_mid else 0,
                     "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                     "batches_by_threads": {}})
    by_threads = launches[-1]["batches_by_threads"]
    print("command: %s" % command, flush=True)
    print("arch %s size %d pad %d epochs %d bs %d steps/epoch %d lr %g wd %g ls %g seed %d threads %d"
          % (args.arch, args.size, pad, args.epochs, args.batch_size, steps_per_epoch, args.lr,
             args.wd, args.label_smoothing, args.seed, torch.get_num_threads()), flush=True)

    stop = False
    for epoch in range(start_epoch, args.epochs):
        model.train()
        if resume_mid is not None:
            perm, b0 = resume_mid["perm"], resume_mid["bi"]
            loss_sum, correct, seen = resume_mid["loss_sum"], resume_mid["correct"], resume_mid["seen"]
            te = time.time() - resume_mid["elapsed"]
            resume_mid = None
        else:
            perm = torch.randperm(n, generator=gen)
            b0 = 0
            loss_sum, correct, seen = 0.0, 0, 0
            te = time.time()
        last_ck = time.time()
        nb = args.bench_batches if args.bench_batches else steps_per_epoch
        for bi in range(b0, nb):
            idx = perm[bi * args.batch_size:(bi + 1) * args.batch_size]
            xb = to3(augment(xtr[idx], pad, gen))
            xb = xb.contiguous(memory_format=torch.channels_last) if args.channels_last else xb.contiguous()
            yb = ytr[idx]
            logits = model(xb)
            loss = crit(logits, yb)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            if not args.bench_batches:
                sched.step()
            nt = str(torch.get_num_threads())
            by_threads[nt] = by_threads.get(nt, 0) + 1
            if adaptive is not None:
                adaptive.step(bi)
            loss_sum += loss.item() * yb.shape[0]
            correct += (logits.argmax(1) == yb).sum().item()
            seen += yb.shape[0]
            if args.bench_batches and bi == 1:
                tb = time.time()  # skip warm-up batches
            stop = sum(by_threads.values()) == args.stop_after_batches
            if not args.bench_batches and bi + 1 < nb and (
                    stop or (args.ckpt_minutes > 0 and time.time() - last_ck > args.ckpt_minutes * 60)):
                # mid-epoch checkpoint: state after batch bi; resume continues at bi+1
                save_ckpt(ckpt_path, args, model, opt, sched, gen, epoch, log, train_time,
                          {"perm": perm, "bi": bi + 1, "loss_sum": loss_sum, "correct": correct,
                           "seen": seen, "elapsed": time.time() - te}, launches)
                last_ck = time.time()
                if stop:
                    print("STOPPED after %d batches, at epoch %d batch %d: run the same command to resume"
                          % (args.stop_after_batches, epoch + 1, bi + 1), flush=True)
                    return
            if (bi + 1) % 50 == 0:
                print("  epoch %d batch %d/%d loss %.4f acc %.4f %.1fs threads %d" % (
                    epoch + 1, bi + 1, nb, loss_sum / seen, correct / seen, time.time() - te,
                    torch.get_num_threads()), flush=True)
        if args.bench_batches:
            spb = (time.time() - tb) / (nb - 2)
            te0 = time.time()
            acc = evaluate(model, xte[:2000], yte[:2000], channels_last=args.channels_last)
            ev = (time.time() - te0) * 5
            print("BENCH %s size %d bs %d: %.3f s/batch -> %.1f min/epoch train + %.1f min eval (10k)"
                  % (args.arch, args.size, args.batch_size, spb, spb * steps_per_epoch / 60, ev / 60), flush=True)
            return
        ep_train = time.time() - te
        train_time += ep_train
        tev = time.time()
        if epoch + 1 == args.epochs:
            ne = xte.shape[0]
            model = model.to(memory_format=torch.contiguous_format)
            acc, final_logits = evaluate(model, xte, yte, return_logits=True)
        else:
            ne = xte.shape[0] if args.eval_images <= 0 else args.eval_images
            acc = evaluate(model, xte[:ne], yte[:ne], channels_last=args.channels_last)
        entry = {"epoch": epoch + 1, "train_loss": round(loss_sum / seen, 5), "train_acc": round(correct / seen, 5),
                 "test_acc": acc, "test_acc_images": ne, "lr_end": sched.get_last_lr()[0],
                 "epoch_wall_s": round(ep_train, 1), "eval_s": round(time.time() - tev, 1)}
        log.append(entry)
        print("EPOCH %s" % json.dumps(entry), flush=True)
        save_ckpt(ckpt_path, args, model, opt, sched, gen, epoch + 1, log, train_time, None, launches)
        if stop and epoch + 1 < args.epochs:
            print("STOPPED after %d batches, at the end of epoch %d: run the same command to resume"
                  % (args.stop_after_batches, epoch + 1), flush=True)
            return

    # ---- final evaluation, export ----
    model = model.to(memory_format=torch.contiguous_format).eval()
    if final_logits is None:  # resumed after the last epoch had already finished
        acc, final_logits = evaluate(model, xte, yte, return_logits=True)
    logits = final_logits
    print("FINAL %s test top-1 %.4f (%d/10000)" % (args.arch, acc, round(acc * 10000)), flush=True)
    os.makedirs(args.out_dir, exist_ok=True)
    os.makedirs(args.results_dir, exist_ok=True)
    torch.save(model.state_dict(), os.path.join(args.out_dir, "%s-fmnist.pt" % args.arch))
    logits[:1000].contiguous().numpy().astype("<f4").tofile(
        os.path.join(args.out_dir, "%s-fmnist-logits1000.f32" % args.arch))

    onnx_path = os.path.join(args.out_dir, "%s-fmnist.onnx" % args.arch)
    dummy = torch.zeros(1, 3, args.size, args.size)
    torch.onnx.export(model.eval(), dummy, onnx_path, opset_version=13, input_names=["input"],
                      output_names=["logits"], do_constant_folding=True)
    import onnx
    m = onnx.load(onnx_path)
    onnx.checker.check_model(m)
    print("ONNX written and checked: %s" % onnx_path, flush=True)

    res = {
        "arch": args.arch,
        "model": model_description(args.arch),
        "dataset": "Fashion-MNIST (60000 train / 10000 test), %s" % args.data_dir,
        "test_top1": acc,
        "test_correct": int(round(acc * 10000)),
        "test_images": int(xte.shape[0]),
        "epochs": args.epochs,
        "size": args.size,
        "seed": args.seed,
        "command": command,
        "launches": launches,
        "train_wall_time_s": round(train_time, 1),
        "train_wall_time_min": round(train_time / 60, 1),
        "preprocess": {
            "resize": "float [0,1], F.interpolate(size=(%d,%d), mode='bilinear', align_corners=False, antialias=True), no uint8 rounding" % (args.size, args.size),
            "normalize_mean": MEAN, "normalize_std": STD, "channels": "grayscale replicated to 3",
            "test_transform": "resize + normalize only (no crop)",
        },
        "hyperparameters": {
            "optimizer": "SGD momentum %g nesterov" % args.momentum, "peak_lr": args.lr,
            "schedule": "OneCycleLR cos, pct_start %g, div 25, final_div 1e3, stepped per batch" % args.pct_start,
            "weight_decay": args.wd, "batch_size": args.batch_size, "label_smoothing": args.label_smoothing,
            "augment": "random shift up to +-%d px (pad with black, random crop), random horizontal flip" % pad,
            "channels_last": args.channels_last,
        },
        "onnx": {"file": "weights/train/out/%s-fmnist.onnx" % args.arch, "opset": 13, "input": "input [1,3,%d,%d]" % (args.size, args.size),
                 "output": "logits [1,10]", "do_constant_folding": True, "checker": "ok"},
        "logits1000": "weights/train/out/%s-fmnist-logits1000.f32 (float32 LE, [1000,10] row-major, model.eval() fp32)" % args.arch,
        "torch_version": torch.__version__,
        "torchvision_version": torchvision.__version__,
        "onnx_version": onnx.__version__,
        "python": platform.python_version(),
        "threads": args.threads,
        "cpu": cpu_model(),
        "per_epoch": log,
    }
    with open(os.path.join(args.results_dir, "%s.json" % args.arch), "w") as f:
        json.dump(res, f, indent=2)
        f.write("\n")
    print("results: %s" % os.path.join(args.results_dir, "%s.json" % args.arch), flush=True)


if __name__ == "__main__":
    main()
