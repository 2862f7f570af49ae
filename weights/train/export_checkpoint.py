#!/usr/bin/python3
"""Export a training checkpoint (or a final state_dict) of train.py to ONNX, and write
calibration images from the TRAINING split (never the test split) as PNGs.

    /usr/bin/python3 weights/train/export_checkpoint.py --arch resnet18 --size 64 \
        --ckpt weights/train/runs/resnet18-s64-e5-seed0-ckpt.pt \
        --onnx /tmp/resnet18-fmnist.onnx --calib-dir /tmp/fmnist-calib --calib-count 256

The ONNX export uses the same call as train.py's final export (opset 13, input 'input',
output 'logits', constant folding). Calibration images are the original 28×28 grayscale
training images, evenly spaced through the split with a fixed stride, so the set is the same
on every run; the converter then preprocesses them exactly as the pack says.
"""
import argparse
import os

import numpy as np
import torch
from PIL import Image

import train


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--arch", choices=train.ARCHS, required=True)
    ap.add_argument("--size", type=int, required=True)
    ap.add_argument("--ckpt", required=True, help="train.py checkpoint (.pt with 'model') or a state_dict")
    ap.add_argument("--onnx", required=True)
    ap.add_argument("--calib-dir")
    ap.add_argument("--calib-count", type=int, default=256)
    ap.add_argument("--data-dir", default="/usr/share/datasets/fashion-mnist")
    ap.add_argument("--eval-json", help="also evaluate PyTorch fp32 top-1 on the test set (all 10,000 and the first 1,000) and write it here")
    args = ap.parse_args()

    state = torch.load(args.ckpt, map_location="cpu")
    model = train.build_model(args.arch)
    model.load_state_dict(state["model"] if "model" in state else state)
    model.eval()
    # A mid-training checkpoint records its epoch; a final state_dict (train.py's out/) has none.
    epoch = state.get("epoch", "final") if "model" in state else "final"
    dummy = torch.zeros(1, 3, args.size, args.size)
    torch.onnx.export(model, dummy, args.onnx, opset_version=13, input_names=["input"],
                      output_names=["logits"], do_constant_folding=True)
    print("ONNX %s (checkpoint epoch %s)" % (args.onnx, epoch))

    if args.eval_json:
        import json
        xt, yt = train.load_split(args.data_dir, "test")
        xp = train.preprocess(xt, args.size)
        acc = train.evaluate(model, xp, yt)
        acc1k = train.evaluate(model, xp[:1000], yt[:1000])
        result = {"arch": args.arch, "size": args.size, "checkpoint": os.path.basename(args.ckpt), "epoch": epoch,
                  "pytorch_top1_test10000": acc, "pytorch_top1_test_first1000": acc1k, "torch": torch.__version__}
        with open(args.eval_json, "w") as f:
            json.dump(result, f, indent=2)
        print("PyTorch fp32 top-1: %.4f on the 10,000 test images, %.4f on the first 1,000" % (acc, acc1k))

    if args.calib_dir:
        x, y = train.load_split(args.data_dir, "train")
        os.makedirs(args.calib_dir, exist_ok=True)
        stride = x.shape[0] // args.calib_count
        for i in range(args.calib_count):
            idx = i * stride
            Image.fromarray(x[idx].numpy().astype(np.uint8), mode="L").save(
                os.path.join(args.calib_dir, "train-%05d-c%d.png" % (idx, int(y[idx]))))
        print("%d calibration PNGs (training split) in %s" % (args.calib_count, args.calib_dir))


if __name__ == "__main__":
    main()
