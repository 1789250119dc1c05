"""Before training with `--impl katas`: which of the learner's Topics 12-17 functions are blank?

A function is blank while its body (after the docstring) is only `raise NotImplementedError(...)`.
The check reads the files (it imports nothing), so a half-written kata cannot crash it.
"""

from __future__ import annotations

import ast
from pathlib import Path

KATAS = Path(__file__).resolve().parents[1] / "katas"
TOPICS = ("topic12_im2col_vectorization", "topic13_pooling_strides",
          "topic14_resnet_skip_connections", "topic15_modern_convolutions",
          "topic16_advanced_normalizations", "topic17_cifar10_from_scratch")
# What the milestone calls (directly, or through the layers it is built from).
NEEDED = {
    "topic12_im2col_vectorization": {"im2col", "col2im", "conv2d_forward", "conv2d_backward",
                                     "conv2d_backward_weights"},
    "topic13_pooling_strides": {"maxpool2d_forward", "maxpool2d_backward"},
    "topic14_resnet_skip_connections": {"batchnorm2d_forward", "batchnorm2d_backward",
                                        "relu_forward", "relu_backward"},
    "topic17_cifar10_from_scratch": {"load_batch", "channel_stats", "normalize",
                                     "random_crop_flip", "softmax_cross_entropy_forward",
                                     "softmax_cross_entropy_backward", "sgd_step", "train_step",
                                     "evaluate"},
}


def blank_functions(path: Path) -> list[str]:
    """Names of the top-level functions in `path` whose body only raises NotImplementedError."""
    tree = ast.parse(path.read_text(), filename=str(path))
    blanks = []
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef) or node.name.startswith("_"):
            continue
        body = node.body
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            body = body[1:]  # the docstring
        if len(body) == 1 and isinstance(body[0], ast.Raise) and body[0].exc is not None:
            exc = body[0].exc.func if isinstance(body[0].exc, ast.Call) else body[0].exc
            if isinstance(exc, ast.Name) and exc.id == "NotImplementedError":
                blanks.append(node.name)
    return blanks


def find_blanks(katas: Path = KATAS) -> dict[str, list[str]]:
    """{'topic13_pooling_strides/pooling.py': ['maxpool2d_backward', ...], ...} (blank only)."""
    found = {}
    for topic in TOPICS:
        for path in sorted((katas / topic).glob("*.py")):
            if path.name != "__init__.py" and (names := blank_functions(path)):
                found[f"{topic}/{path.name}"] = names
    return found


def check_blanks(katas: Path = KATAS) -> bool:
    """Print what is still blank; True when everything the milestone needs is implemented."""
    found = find_blanks(katas)
    needed = {where: [n for n in names if n in NEEDED.get(where.split("/")[0], ())]
              for where, names in found.items()}
    needed = {k: v for k, v in needed.items() if v}
    if needed:
        print("The milestone trains with YOUR code, and these functions it needs are still blank:")
        for where, names in needed.items():
            print(f"  katas/{where}: {', '.join(names)}")
        print("Finish them (each topic: `tox -e topicNN` until green), then run this again; or "
              "train the reference: `python -m milestone --impl solutions`.")
        return False
    others = sum(len(v) for v in found.values())
    if others:
        print(f"note: {others} function(s) the milestone does not use are still blank "
              f"(Topics 15-16); training with your Topics 12-14 and 17.")
    return True
