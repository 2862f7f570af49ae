// The one error type of the converter. A caller (or a CLI user) must be able to find the
// offending part of the ONNX file, so every error that comes from a node names it.

export type ConvertErrorCode =
  | 'BAD_ONNX' // the bytes are not a decodable ONNX model
  | 'EXTERNAL_DATA' // an initializer lives in a side file
  | 'UNSUPPORTED_DTYPE' // a tensor type we cannot read as numbers
  | 'UNSUPPORTED_OPSET'
  | 'UNSUPPORTED_OP' // an op type the ResNet matcher does not know
  | 'UNSUPPORTED_PATTERN' // a known op used in a way that has no equivalent in the model graph
  | 'BAD_INPUT' // graph input shape or options that cannot work
  | 'CALIBRATION' // missing or unusable calibration data
  | 'NON_FINITE'; // the float network's activations or logits overflow (absurd weights)

export class ConvertError extends Error {
  override name = 'ConvertError';
  readonly code: ConvertErrorCode;
  /** ONNX node name ('' when the node has none) and op type, when a node is at fault. */
  readonly nodeName?: string;
  readonly opType?: string;

  constructor(code: ConvertErrorCode, message: string, node?: { name: string; opType: string }) {
    super(node ? `${node.opType} node '${node.name || '(unnamed)'}': ${message}` : message);
    this.code = code;
    if (node) {
      this.nodeName = node.name;
      this.opType = node.opType;
    }
  }
}
