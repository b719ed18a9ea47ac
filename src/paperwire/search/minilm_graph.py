"""Build the ONNX graph of a BERT encoder (MiniLM) from its safetensors weights.

The graph takes ``input_ids``, ``attention_mask`` and ``token_type_ids``
(int64, shape ``[batch, seq]``) and returns ``last_hidden_state`` (float32,
``[batch, seq, hidden]``): word + position + token-type embeddings and their
LayerNorm, then per layer masked multi-head self-attention, a residual
LayerNorm, an exact (erf) GELU feed-forward block and a second residual
LayerNorm. Pooling is left to the caller, so the graph can be checked against
a reference forward pass token by token.

Two rewrites keep the maths identical while making the graph faster: the
query, key and value projections are one matrix product (then split), and the
``1/sqrt(head_dim)`` attention scale is folded into the query weights.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

__all__ = ["OPSET", "BertShape", "attention_node_names", "build_bert_graph"]

# Opset 17 is the first with LayerNormalization as a standard operator.
OPSET = 17
# IR version 8 is the oldest that carries opset 17; older runtimes can load it.
IR_VERSION = 8
# Added to the attention scores of padding positions: large enough that their
# softmax weight is exactly zero in float32, small enough never to overflow.
MASK_PENALTY = -10000.0


@dataclass(frozen=True, slots=True)
class BertShape:
    """The sizes of a BERT encoder, as its ``config.json`` gives them."""

    layers: int
    hidden: int
    heads: int
    layer_norm_eps: float = 1e-12

    @property
    def head_dim(self) -> int:
        return self.hidden // self.heads

    @classmethod
    def from_config(cls, config: Mapping[str, object]) -> BertShape:
        if config.get("hidden_act") != "gelu":
            raise ValueError(f"unsupported activation {config.get('hidden_act')!r}: only 'gelu'")
        return cls(
            layers=int(_number(config, "num_hidden_layers")),
            hidden=int(_number(config, "hidden_size")),
            heads=int(_number(config, "num_attention_heads")),
            layer_norm_eps=float(_number(config, "layer_norm_eps", 1e-12)),
        )


def _number(config: Mapping[str, object], key: str, default: float | None = None) -> float | str:
    """A number from ``config.json`` (missing: ``default``, or KeyError without one)."""
    value = config[key] if default is None else config.get(key, default)
    if not isinstance(value, int | float | str):
        raise ValueError(f"config.json: {key} is {value!r}, not a number")
    return value


def attention_node_names(shape: BertShape) -> list[str]:
    """The activation-by-activation products (scores, context): never to quantise."""
    return [f"layer{i}/{part}" for i in range(shape.layers) for part in ("scores", "context")]


class _GraphBuilder:
    """Collects nodes and initializers; every helper returns its output's name."""

    def __init__(self) -> None:
        self.nodes: list[onnx.NodeProto] = []
        self.initializers: list[onnx.TensorProto] = []

    def constant(self, name: str, value: np.ndarray) -> str:
        self.initializers.append(numpy_helper.from_array(value, name))
        return name

    def op(
        self, op_type: str, inputs: list[str], name: str, **attrs: int | float | list[int]
    ) -> str:
        node = helper.make_node(op_type, inputs, [name], name=name)
        # As make_node(**attrs) adds them, without mixing attributes into its own arguments.
        node.attribute.extend(helper.make_attribute(k, v) for k, v in sorted(attrs.items()))
        self.nodes.append(node)
        return name

    def linear(self, x: str, weight: np.ndarray, bias: np.ndarray, name: str) -> str:
        # PyTorch stores Linear weights as [out, in]; MatMul wants [in, out].
        w = self.constant(f"{name}.weight", np.ascontiguousarray(weight.T, dtype=np.float32))
        b = self.constant(f"{name}.bias", bias.astype(np.float32))
        return self.op("Add", [self.op("MatMul", [x, w], f"{name}/matmul"), b], name)

    def layer_norm(
        self, x: str, weight: np.ndarray, bias: np.ndarray, eps: float, name: str
    ) -> str:
        w = self.constant(f"{name}.weight", weight.astype(np.float32))
        b = self.constant(f"{name}.bias", bias.astype(np.float32))
        return self.op("LayerNormalization", [x, w, b], name, axis=-1, epsilon=eps)


def _embeddings(g: _GraphBuilder, t: Mapping[str, np.ndarray], shape: BertShape) -> str:
    words = g.op(
        "Gather",
        [g.constant("word_table", t["embeddings.word_embeddings.weight"]), "input_ids"],
        "emb/words",
    )
    types = g.op(
        "Gather",
        [g.constant("type_table", t["embeddings.token_type_embeddings.weight"]), "token_type_ids"],
        "emb/types",
    )
    # Positions are 0..seq-1, so the first seq rows of the table, broadcast over the batch.
    seq_len = g.op("Shape", ["input_ids"], "emb/seq_len", start=1, end=2)
    zero = g.constant("emb/zero", np.array([0], dtype=np.int64))
    positions = g.op(
        "Slice",
        [
            g.constant("position_table", t["embeddings.position_embeddings.weight"]),
            zero,
            seq_len,
            zero,
        ],
        "emb/positions",
    )
    summed = g.op("Add", [g.op("Add", [words, types], "emb/words_types"), positions], "emb/sum")
    return g.layer_norm(
        summed,
        t["embeddings.LayerNorm.weight"],
        t["embeddings.LayerNorm.bias"],
        shape.layer_norm_eps,
        "emb/norm",
    )


def _mask_bias(g: _GraphBuilder) -> str:
    """[batch, 1, 1, seq]: 0 where a token is real, MASK_PENALTY where it is padding."""
    mask = g.op("Cast", ["attention_mask"], "mask/float", to=TensorProto.FLOAT)
    one = g.constant("mask/one", np.array(1.0, dtype=np.float32))
    penalty = g.constant("mask/penalty", np.array(-MASK_PENALTY, dtype=np.float32))
    bias = g.op("Mul", [g.op("Sub", [mask, one], "mask/inverted"), penalty], "mask/bias")
    axes = g.constant("mask/axes", np.array([1, 2], dtype=np.int64))
    return g.op("Unsqueeze", [bias, axes], "mask/bias4d")


def _attention(
    g: _GraphBuilder, x: str, mask: str, t: Mapping[str, np.ndarray], i: int, shape: BertShape
) -> str:
    p = f"encoder.layer.{i}.attention."
    scale = 1.0 / math.sqrt(shape.head_dim)
    weight = np.concatenate(
        [t[p + "self.query.weight"] * scale, t[p + "self.key.weight"], t[p + "self.value.weight"]]
    )
    bias = np.concatenate(
        [t[p + "self.query.bias"] * scale, t[p + "self.key.bias"], t[p + "self.value.bias"]]
    )
    qkv = g.linear(x, weight, bias, f"layer{i}/qkv")
    sizes = g.constant(f"layer{i}/split", np.array([shape.hidden] * 3, dtype=np.int64))
    names = [f"layer{i}/{part}" for part in ("q", "k", "v")]
    g.nodes.append(helper.make_node("Split", [qkv, sizes], names, name=f"layer{i}/split", axis=-1))
    heads = g.constant(f"layer{i}/heads", np.array([0, 0, shape.heads, shape.head_dim], np.int64))
    q, k, v = (g.op("Reshape", [n, heads], f"{n}/heads") for n in names)
    q = g.op("Transpose", [q], f"layer{i}/q_t", perm=[0, 2, 1, 3])  # [b, h, s, d]
    k = g.op("Transpose", [k], f"layer{i}/k_t", perm=[0, 2, 3, 1])  # [b, h, d, s]
    v = g.op("Transpose", [v], f"layer{i}/v_t", perm=[0, 2, 1, 3])  # [b, h, s, d]
    scores = g.op("Add", [g.op("MatMul", [q, k], f"layer{i}/scores"), mask], f"layer{i}/masked")
    probs = g.op("Softmax", [scores], f"layer{i}/probs", axis=-1)
    context = g.op("MatMul", [probs, v], f"layer{i}/context")
    context = g.op("Transpose", [context], f"layer{i}/context_t", perm=[0, 2, 1, 3])
    merged = g.constant(f"layer{i}/merged", np.array([0, 0, shape.hidden], dtype=np.int64))
    context = g.op("Reshape", [context, merged], f"layer{i}/context_merged")
    out = g.linear(
        context, t[p + "output.dense.weight"], t[p + "output.dense.bias"], f"layer{i}/attn_out"
    )
    residual = g.op("Add", [out, x], f"layer{i}/attn_residual")
    return g.layer_norm(
        residual,
        t[p + "output.LayerNorm.weight"],
        t[p + "output.LayerNorm.bias"],
        shape.layer_norm_eps,
        f"layer{i}/attn_norm",
    )


def _gelu(g: _GraphBuilder, x: str, name: str) -> str:
    """The exact GELU BERT uses: (x * (1 + erf(x / sqrt(2)))) * 0.5.

    Written in this order on purpose: it is the form onnxruntime recognises and
    fuses into one Gelu kernel (with the preceding bias add), which is faster.
    """
    sqrt2 = g.constant(f"{name}/sqrt2", np.array(math.sqrt(2), dtype=np.float32))
    one = g.constant(f"{name}/one", np.array(1.0, dtype=np.float32))
    half = g.constant(f"{name}/half", np.array(0.5, dtype=np.float32))
    erf = g.op("Erf", [g.op("Div", [x, sqrt2], f"{name}/scaled")], f"{name}/erf")
    gated = g.op("Mul", [x, g.op("Add", [erf, one], f"{name}/erf_plus_one")], f"{name}/gated")
    return g.op("Mul", [gated, half], name)


def _feed_forward(
    g: _GraphBuilder, x: str, t: Mapping[str, np.ndarray], i: int, shape: BertShape
) -> str:
    p = f"encoder.layer.{i}."
    hidden = g.linear(
        x, t[p + "intermediate.dense.weight"], t[p + "intermediate.dense.bias"], f"layer{i}/ffn_in"
    )
    out = g.linear(
        _gelu(g, hidden, f"layer{i}/gelu"),
        t[p + "output.dense.weight"],
        t[p + "output.dense.bias"],
        f"layer{i}/ffn_out",
    )
    residual = g.op("Add", [out, x], f"layer{i}/ffn_residual")
    return g.layer_norm(
        residual,
        t[p + "output.LayerNorm.weight"],
        t[p + "output.LayerNorm.bias"],
        shape.layer_norm_eps,
        f"layer{i}/ffn_norm",
    )


def build_bert_graph(tensors: Mapping[str, np.ndarray], shape: BertShape) -> onnx.ModelProto:
    """The encoder as a checked ONNX model, weights embedded as initializers."""
    g = _GraphBuilder()
    x = _embeddings(g, tensors, shape)
    mask = _mask_bias(g)
    for i in range(shape.layers):
        x = _feed_forward(g, _attention(g, x, mask, tensors, i, shape), tensors, i, shape)
    g.nodes.append(helper.make_node("Identity", [x], ["last_hidden_state"], name="output"))
    inputs = [
        helper.make_tensor_value_info(name, TensorProto.INT64, ["batch", "seq"])
        for name in ("input_ids", "attention_mask", "token_type_ids")
    ]
    output = helper.make_tensor_value_info(
        "last_hidden_state", TensorProto.FLOAT, ["batch", "seq", shape.hidden]
    )
    graph = helper.make_graph(g.nodes, "bert_encoder", inputs, [output], g.initializers)
    model = helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="paperwire"
    )
    model.ir_version = IR_VERSION
    onnx.checker.check_model(model)
    return model
