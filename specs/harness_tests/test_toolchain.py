"""The toolchain around the specs: narrowing `tox -e topicNN -- ARGS`, the docs' commands, the
rules marker and the experiments' helpers."""

import pytest

from tools import check_docs_commands as docs
from tools import topic_specs
from tools.experiment_kit import drawn_scene

TOPIC = "specs/topic14_resnet_skip_connections"


@pytest.mark.parametrize("args, narrowed", [
    ([], False),
    (["-k", "running", "-m", "rules"], False),
    (["--impl", "solutions"], False),  # solutions/ is a folder, but the value of --impl
    (["--impl=solutions", "-x"], False),
    (["-k", f"{TOPIC}/test_relu.py"], False),  # an option's value, even when it is a path
    ([f"{TOPIC}/test_batchnorm.py"], True),
    ([f"{TOPIC}/test_relu.py::test_relu_shapes", "--impl", "solutions"], True),
    (["-q", "specs/topic13_pooling_strides"], True),
    (["no/such/file.py"], False),
])
def test_a_spec_path_replaces_the_topic_folder(args, narrowed):
    command = topic_specs.command(TOPIC, args)
    assert command == (args if narrowed else [TOPIC, *args])


def test_docs_commands_are_found_in_code_blocks_and_spans():
    markdown = ("Run `tox -e topic11 -- -m shape` then `./kata hint 11`; not `ruff`.\n"
                "```\ntox -e experiment14 -- --impl katas   # yours\n$EDITOR file.py\n```\n")
    assert docs.commands_in(markdown) == ["tox -e topic11 -- -m shape", "./kata hint 11",
                                          "tox -e experiment14 -- --impl katas"]


def test_docs_commands_plans():
    def plan(text):
        return docs.Command(text, "README.md").plan()
    assert plan("tox -e solutions")[1] is None and plan("pip install tox")[1] is None
    assert plan("tox -e milestone -- --data-dir DIR")[1] is None  # a placeholder
    assert plan("tox -e bench -- --threads 1")[1] == [
        "tox", "-e", "bench", "--", "--threads", "1", "--quick", "--rounds", "1",
        "--min-seconds", "0.05"]
    assert plan("tox -e experiment16")[1][-3:] == ["--", "--quick", "--synthetic"]
    assert plan("./kata watch 11")[1] == ["./kata", "watch", "11", "--once"]
    assert "parse_args" in " ".join(plan("python -m milestone --seed 1")[1])


def test_every_docs_command_is_planned_and_every_ci_gate_is_in_ci():
    commands = docs.collect()
    assert any(c.text.startswith("tox -e topic11") for c in commands)
    assert not docs.check_ci_steps(commands, docs.REPO_ROOT)


def test_the_drawn_scene_is_an_image():
    image = drawn_scene(32)
    assert image.shape == (3, 32, 32) and 0 <= image.min() and image.max() <= 1
    assert image.std() > 0.1  # not flat: edges and texture to look at


def test_rule_specs_are_marked():
    """Every topic spec has a kind; spec_kinds marks the unmarked as rules."""
    from specs import spec_kinds

    class Item:
        def __init__(self, nodeid, marks):
            self.nodeid, self.marks = nodeid, list(marks)

        def get_closest_marker(self, name):
            return name if name in self.marks else None

        def add_marker(self, mark):
            self.marks.append(mark.name)

    items = [Item("specs/topic13_x/test_a.py::t", []), Item("specs/topic13_x/test_a.py::s", ["shape"]),
             Item("specs/harness_tests/test_b.py::t", [])]
    spec_kinds.pytest_collection_modifyitems(items)
    assert [i.marks for i in items] == [["rules"], ["shape"], []]


def test_a_slowdown_reads_as_one():
    import importlib.util

    path = docs.REPO_ROOT / "benchmarks" / "bench_separable.py"
    spec = importlib.util.spec_from_file_location("bench_separable", path)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    assert bench.how_fast(2.0) == "2.0x faster than"
    assert bench.how_fast(0.6) == "1.7x slower than"
    assert bench.how_fast(1.02) == "about as fast as"
