#!/usr/bin/env bash
# Is training bit-reproducible on this machine? A small run (ResNet-18, 32×32, the first 2,048
# training images, 2 epochs of 16 batches, fixed 2 threads; ~1 min) three ways:
#   a, b — the same command twice from scratch;
#   c    — the same command stopped mid-epoch 2 (batch 23 of 32), then resumed by running it again.
# All three must end with identical weights (every tensor of the state_dict, bit for bit).
set -euo pipefail
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

train() { # train <run> [extra args…]
  local run=$1
  shift
  /usr/bin/python3 weights/train/train.py --arch resnet18 --size 32 --epochs 2 --train-subset 2048 \
    --threads 2 --eval-images 500 --runs-dir "$tmp/$run/runs" --out-dir "$tmp/$run/out" \
    --results-dir "$tmp/$run/results" "$@" >>"$tmp/$run.log" 2>&1 || { cat "$tmp/$run.log"; exit 1; }
}

train a
train b
train c --stop-after-batches 23
grep -q "STOPPED after 23 batches, at epoch 2 batch 7" "$tmp/c.log" || { echo "run c did not stop mid-epoch 2"; cat "$tmp/c.log"; exit 1; }
train c
grep -q "resumed from .* at epoch 1 batch 7" "$tmp/c.log" || { echo "run c did not resume mid-epoch"; cat "$tmp/c.log"; exit 1; }

/usr/bin/python3 - "$tmp" <<'EOF'
import sys, torch
tmp = sys.argv[1]
a, b, c = (torch.load("%s/%s/out/resnet18-fmnist.pt" % (tmp, r)) for r in "abc")
for name, other in (("rerun", b), ("stopped and resumed", c)):
    diff = [k for k in a if not torch.equal(a[k], other[k])]
    print("%-20s %s" % (name + ":", "identical (%d tensors)" % len(a) if not diff else "DIFFERS in %d tensors, e.g. %s" % (len(diff), diff[0])))
    if diff:
        sys.exit(1)
EOF
