"""The most abstracts per second this CPU could embed in int8: the weight products alone.

Each layer of the encoder multiplies every token by four weight matrices
(query/key/value, attention output, feed-forward in and out): most of the
model's arithmetic. Here those products run as bare onnxruntime
``MatMulInteger`` operators (uint8 activations, int8 weights, the kernels the
quantised model uses) on as many rows as a batch of real abstracts has
tokens. Their time times the number of layers is what one batch needs at the
least, so ``batch / that`` bounds the throughput: the attention products,
normalisations and quantisation of activations come on top.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass

import numpy as np
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

__all__ = ["Ceiling", "weight_products_ceiling"]


@dataclass(frozen=True, slots=True)
class Ceiling:
    per_second: float  # abstracts/s if nothing but the weight products took time
    gmacs_per_second: float  # multiply-accumulates per second the kernels reached

    def figures(self) -> dict[str, float]:
        return {
            "int8_ceiling_per_second": round(self.per_second, 1),
            "int8_weight_products_gmac_per_second": round(self.gmacs_per_second, 1),
        }


def weight_products_ceiling(
    *,
    batch_size: int,
    tokens: int,
    hidden: int,
    intermediate: int,
    layers: int,
    threads: int,
    repeats: int = 7,
) -> Ceiling:
    """Time one layer's four weight products on ``batch_size * tokens`` rows."""
    rows = batch_size * tokens
    # (weight, its input, inner size, output size) of one layer
    products = [
        ("qkv", "x", hidden, 3 * hidden),
        ("attention_out", "x", hidden, hidden),
        ("ffn_in", "x", hidden, intermediate),
        ("ffn_out", "x_wide", intermediate, hidden),
    ]
    rng = np.random.default_rng(0)
    session = _session(_graph(rows, hidden, intermediate, products, rng), threads)
    feed = {
        "x": rng.integers(0, 256, (rows, hidden), dtype=np.uint8),
        "x_wide": rng.integers(0, 256, (rows, intermediate), dtype=np.uint8),
    }
    session.run(None, feed)  # warm-up: first runs allocate
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        session.run(None, feed)
        times.append(time.perf_counter() - started)
    per_layer = statistics.median(times)
    macs = rows * sum(inner * out for _, _, inner, out in products)
    return Ceiling(batch_size / (layers * per_layer), macs / per_layer / 1e9)


def _graph(
    rows: int,
    hidden: int,
    intermediate: int,
    products: list[tuple[str, str, int, int]],
    rng: np.random.Generator,
) -> bytes:
    weights = [
        numpy_helper.from_array(rng.integers(-127, 128, (inner, out), dtype=np.int8), name)
        for name, _, inner, out in products
    ]
    nodes = [
        helper.make_node("MatMulInteger", [source, name], [f"y_{name}"])
        for name, source, _, _ in products
    ]
    graph = helper.make_graph(
        nodes,
        "weight_products",
        [
            helper.make_tensor_value_info("x", TensorProto.UINT8, [rows, hidden]),
            helper.make_tensor_value_info("x_wide", TensorProto.UINT8, [rows, intermediate]),
        ],
        [
            helper.make_tensor_value_info(f"y_{name}", TensorProto.INT32, None)
            for name, *_ in products
        ],
        weights,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    return model.SerializeToString()


def _session(model: bytes, threads: int) -> ort.InferenceSession:
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1  # one product at a time, as in the model
    return ort.InferenceSession(model, options, providers=["CPUExecutionProvider"])
