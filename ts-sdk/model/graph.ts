// The network description shared by the converter, the pack and the runtime.
// A model is a list of nodes in execution order over numbered activation tensors
// (NHWC, batch 1). Weights live in named tensors, each of which says how its bytes are laid
// out: the converter's float model holds them in their logical layouts, a pack-ready model in
// the layouts the kernels stream (see docs/ARCHITECTURE.md, "Weight layouts").

export type Precision = 'int8' | 'fp32';

/** How an image becomes the network's input tensor (torchvision semantics). */
export interface InputSpec {
  /** Network input height and width. */
  height: number;
  width: number;
  /** Channels the network takes (3 for every ResNet we run). */
  channels: number;
  /** torchvision `Resize(resize)`: the shorter side is scaled to this; 0 = resize straight to height×width. */
  resize: number;
  /** `center`: CenterCrop(height, width) after the resize; `none`: no crop. */
  crop: 'center' | 'none';
  /** Resampling filter of the resize (antialiased when downscaling, as PIL does). */
  interpolation: 'bilinear';
  /** Per-channel mean and std of Normalize, applied to values scaled to [0, 1]. */
  mean: number[];
  std: number[];
  /** Colour handling: 'rgb' takes RGB; 'gray-replicate' converts to gray (ITU-R 601-2 luma, as PIL's convert('L')) and repeats it on every channel. */
  color: 'rgb' | 'gray-replicate';
  /**
   * Arithmetic of the resize. `'float'`: floating point with no rounding between the passes,
   * as torchvision's tensor path (`Resize(antialias=True)` on a float tensor). `'pil'`:
   * Pillow's 8-bit fixed point (22-bit integer weights, u8 rounding after each pass), bit for
   * bit, as torchvision's PIL path (`Resize` on a PIL image, then `ToTensor`), which is what
   * most published ImageNet evaluations ran.
   * @defaultValue `'float'`
   */
  resizeMode?: 'float' | 'pil';
}

/** Affine quantization of one activation tensor: real = scale · (q − zeroPoint), q ∈ [0, 255]. */
export interface Quant {
  scale: number;
  zeroPoint: number;
}

export interface Activation {
  id: number;
  /** [height, width, channels] */
  shape: [number, number, number];
  /** Present in int8 models for every activation except the f32 logits. */
  quant?: Quant;
}

export interface ConvNode {
  op: 'conv';
  input: number;
  output: number;
  kernelH: number;
  kernelW: number;
  stride: number;
  /** [top, left, bottom, right] zero padding (in the int8 path padding is the input's zero point). */
  pad: [number, number, number, number];
  cin: number;
  cout: number;
  relu: boolean;
  /** Tensor names: packed weights, bias and (int8 only) per-output-channel weight scales. */
  weight: string;
  bias: string;
  weightScale?: string;
  /**
   * int8 only: an activation of the output's shape added before the ReLU — a residual block's
   * conv2 and its add in one step, so the sum is rounded once (docs/ARCHITECTURE.md, "Numerics").
   */
  residual?: number;
}

export interface AddNode {
  op: 'add';
  a: number;
  b: number;
  output: number;
  relu: boolean;
}

export interface MaxPoolNode {
  op: 'maxpool';
  input: number;
  output: number;
  kernel: number;
  stride: number;
  pad: number;
}

/** Global average pool. A pack spells the op `gap` (weights/FORMAT.md, version 1); ts-sdk/pack maps the name. */
export interface GlobalAvgPoolNode {
  op: 'gavgpool';
  input: number;
  output: number;
}

/** Fully connected head: input is a [1, 1, cin] activation, output the f32 logits [1, 1, cout]. */
export interface FcNode {
  op: 'fc';
  input: number;
  output: number;
  cin: number;
  cout: number;
  weight: string;
  bias: string;
  weightScale?: string;
}

/**
 * The paper's option-A shortcut: subsample by `stride`, then zero-pad channels up to `cout`,
 * the input's channels starting at `channelOffset`.
 */
export interface PadShortcutNode {
  op: 'pad_shortcut';
  input: number;
  output: number;
  stride: number;
  cout: number;
  /** Zero channels before the input's (PyTorch's common `F.pad(…, (0,0,0,0,p,p))` puts half before). @defaultValue 0 */
  channelOffset?: number;
}

export type Node = ConvNode | AddNode | MaxPoolNode | GlobalAvgPoolNode | FcNode | PadShortcutNode;

/** The activations a node reads: the first is its main input, whose shape its parameters refer to. */
export function nodeInputs(n: Node): number[] {
  if (n.op === 'add') return [n.a, n.b];
  if (n.op === 'conv' && n.residual !== undefined) return [n.input, n.residual];
  return [n.input];
}

export type DType = 'i8' | 'u8' | 'i16' | 'i32' | 'f32';

/**
 * How a tensor's bytes are arranged (docs/ARCHITECTURE.md, "Weight layouts"). `plain`: row-major
 * over `dims` — biases, scales, and weights in their logical layouts (conv OHWI, fc
 * [cout][cin]) as the converter produces them. `q8c2`: int8 weights packed for the int8 GEMM;
 * `f32n8`: f32 weights packed for the f32 GEMM (ts-sdk/kernels/packing.ts).
 */
export type Layout = 'plain' | 'q8c2' | 'f32n8';

export interface Tensor {
  name: string;
  dtype: DType;
  /** How `data` is arranged; `dims` are the logical dims whatever the layout. */
  layout: Layout;
  dims: number[];
  data: Int8Array | Uint8Array | Int16Array | Int32Array | Float32Array;
}

export interface ModelGraph {
  /** e.g. 'resnet18', 'resnet34', 'resnet20-cifar', or 'resnet' for an unnamed depth. */
  arch: string;
  precision: Precision;
  input: InputSpec;
  /** Id of the network input activation (int8: quantized u8 with the input's zero point). */
  inputId: number;
  /** Id of the f32 logits. */
  outputId: number;
  labels: string[];
  activations: Activation[];
  nodes: Node[];
}

/** A model with its weights: what a pack holds. */
export interface Model {
  graph: ModelGraph;
  tensors: Map<string, Tensor>;
  /** Free-form provenance (converter version, source file hash, calibration summary). */
  extra?: Record<string, unknown>;
}
