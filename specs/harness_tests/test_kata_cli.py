"""The `./kata` command (tools/kata_cli): hints, topics, blanks, reset, status, watch."""

import json
import os
import subprocess
import sys
import textwrap

import pytest

from tools.kata_cli import hints, runner, topics
from tools.kata_cli.cli import Out, main, progress_bar, show_watch, summary_line
from tools.kata_cli.runner import Failure, TopicResult

GIT = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false"]
HINTS = textwrap.dedent("""\
    # Topic 11 hints

    Read one tier at a time.

    ## `forward()`
    Read the brief first.

    ### Tier 1: nudge
    Start from the output size.

    ### Tier 2 - approach
    ```python
    ## not a heading
    ### Tier 9: not a tier
    ```

    ### Tier 3: nearly the code
    for i in range(H): ...

    ## backward
    ### Tier 1: nudge
    Walk the same windows.
    ### Tier 2: approach
    Use +=.

    ## A general note
    Without tiers.

    ## empty
    """)

BLANK = textwrap.dedent('''\
    """Topic 11 kata."""
    import numpy as np


    def forward(x):
        """Shapes."""
        raise NotImplementedError("see README.md")


    def backward(dout, cache):
        raise NotImplementedError
    ''')

SPECS = textwrap.dedent("""\
    import pytest

    @pytest.mark.shape
    def test_passes():
        pass

    @pytest.mark.fixture
    def test_fails():
        pytest.fail("forward(stride=1): out does not match", pytrace=False)
    """)


def test_parse_hints():
    sections = hints.parse(HINTS)
    assert [s.name for s in sections] == ["forward", "backward", "A general note"]
    forward = sections[0]
    assert forward.intro == "Read the brief first."
    assert [(t.number, t.label) for t in forward.tiers] == [(1, "nudge"), (2, "approach"),
                                                            (3, "nearly the code")]
    assert "## not a heading" in forward.tiers[1].text
    assert sections[2].tiers[0].text == "Without tiers."
    shown = hints.render(forward, 0)
    assert shown.startswith("## forward\n\nRead the brief first.\n\n### Tier 1: nudge\n\nStart")
    assert "Read the brief" not in hints.render(forward, 1)
    bare = hints.Section("x", tiers=[hints.Tier(4, "", "text")])
    assert hints.render(bare, 0) == "## x\n\n### Tier 4\n\ntext"


def test_parse_numbered_tiers():
    text = textwrap.dedent("""\
        ## sgd_step
        Mind the momentum.
        1. Update in place.
        2. `v *= momentum`, then
           `p -= lr * v`.
        3. ```
           for k in params:
        ## not a heading
           ```

        ## train_step
        1. Only one item, so one tier.

        ## notes
        - a bullet
        """)
    sgd, train, notes = hints.parse(text)
    assert sgd.intro == "Mind the momentum."
    assert [(t.number, t.label) for t in sgd.tiers] == [(1, "nudge"), (2, "approach"),
                                                        (3, "nearly the code")]
    assert sgd.tiers[1].text == "`v *= momentum`, then\n`p -= lr * v`."
    assert "## not a heading" in sgd.tiers[2].text
    assert len(train.tiers) == 1 and train.tiers[0].text == "1. Only one item, so one tier."
    assert notes.tiers[0].text == "- a bullet"


def test_choose_a_section():
    sections = hints.parse(HINTS)
    assert hints.find_section(sections, "back").name == "backward"
    assert hints.find_section(sections, "general").name == "A general note"
    assert hints.find_section(sections, "ward") is None  # ambiguous
    assert hints.next_section(sections, {}).name == "forward"
    assert hints.next_section(sections, {}, failing="backward").name == "backward"
    assert hints.next_section(sections, {"backward": 2}, failing="backward").name == "forward"
    assert hints.next_section(sections, {"forward": 3, "backward": 2, "A general note": 1}) is None
    assert hints.mentioned_function("backward raised ValueError", sections) == "backward"
    assert hints.mentioned_function("nothing here", sections) is None


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A tiny kata repository in git: topic 11 (blank, hints, specs) and topic 12 (no specs)."""
    for folder, files in {
        "katas/topic11_conv": {"conv.py": BLANK, "HINTS.md": HINTS, "__init__.py": ""},
        "solutions/topic11_conv": {"conv.py": "def forward(x):\n    return x\n", "extra.py": ""},
        "specs/topic11_conv": {"test_conv.py": SPECS},
        "katas/topic12_im2col": {"im2col.py": BLANK},
    }.items():
        (tmp_path / folder).mkdir(parents=True)
        for name, text in files.items():
            (tmp_path / folder / name).write_text(text)
    (tmp_path / "katas" / "notatopic").mkdir()
    git = [*GIT, "-C", str(tmp_path)]
    subprocess.run(git + ["init", "-q"], check=True)
    subprocess.run(git + ["add", "."], check=True)
    subprocess.run(git + ["commit", "-q", "-m", "blank"], check=True)
    monkeypatch.setenv("KATA_PYTHON", sys.executable)
    monkeypatch.setenv("NO_COLOR", "1")
    return tmp_path


def kata(repo, *argv):
    return main(list(argv), root=repo)


def test_discover_and_resolve(repo):
    found = topics.discover(repo)
    assert [t.number for t in found] == [11, 12]
    topic = topics.resolve("topic11", repo)
    assert topics.resolve("conv", repo) == topic == topics.resolve("katas/topic11_conv/", repo)
    assert [p.name for p in topic.kata_files()] == ["conv.py"]  # __init__.py is not a kata
    (topic.kata_dir / "_private.py").write_text("")
    (topic.kata_dir / "new.py").write_text("")
    assert [p.name for p in topic.kata_files()] == ["conv.py", "new.py"]
    assert [p.name for p in topics.resolve("12", repo).kata_files()] == ["im2col.py"]
    with pytest.raises(topics.KataError, match="no topic '19': the topics are 11, 12"):
        topics.resolve("19", repo)


def test_blank_detection(repo):
    assert topics.stub_count(BLANK) == 2 and topics.looks_blank(BLANK)
    assert not topics.looks_blank("def f():\n    return 1\n")
    assert topics.stub_count("def (") == -1 and topics.function_count("def (") == -1
    assert not topics.looks_blank("x = 1\n")
    topic = topics.resolve("11", repo)
    path = topic.kata_files()[0]
    assert topics.untouched(topic, path)
    path.write_text(BLANK.replace('    raise NotImplementedError\n', '    return 1\n'))
    assert not topics.untouched(topic, path)
    assert topics.blank_version(topic, path) == BLANK


def test_blank_survives_a_learner_commit(repo):
    topic = topics.resolve("11", repo)
    path = topic.kata_files()[0]
    path.write_text(BLANK.replace("raise NotImplementedError\n", "return dout\n"))
    git = [*GIT, "-C", str(repo)]
    subprocess.run(git + ["commit", "-qam", "my work"], check=True)
    assert topics.blank_version(topic, path) == BLANK
    with pytest.raises(topics.KataError, match="cannot find the blank"):
        topics.blank_version(topic, topic.kata_dir / "new.py")


def test_hint_command_walks_the_tiers(repo, capsys):
    assert kata(repo, "hint", "11") == 0
    first = capsys.readouterr().out
    assert "### Tier 1: nudge" in first
    assert "(tier 1 of 3 for forward: `./kata hint 11 forward` for tier 2" in first
    assert kata(repo, "hint", "11") == 0
    assert "### Tier 2: approach" in capsys.readouterr().out
    assert kata(repo, "hint", "11", "backward") == 0
    assert "Walk the same windows" in capsys.readouterr().out
    assert kata(repo, "hint", "11", "--again") == 0
    again = capsys.readouterr().out
    assert again.count("### Tier") == 3 + 1  # + the one inside the code block
    state = json.loads((repo / ".kata" / "state.json").read_text())
    assert state["hints"]["topic11_conv"] == {"forward": 2, "backward": 1}
    assert kata(repo, "hint", "11", "backward", "--all") == 0
    both = capsys.readouterr().out
    assert both.count("### Tier") == 2 and both.count("## backward") == 1
    assert kata(repo, "hint", "11", "--all") == 0
    assert capsys.readouterr().out.count("### Tier") == 6 + 1
    assert kata(repo, "hint", "11", "forward") == 0
    assert "here is the last again" in capsys.readouterr().out
    assert kata(repo, "hint", "11") == 0
    assert "You have seen every hint of topic 11" in capsys.readouterr().out
    assert kata(repo, "hint", "11", "--forget") == 0
    assert kata(repo, "hint", "11", "--again") == 0
    assert "You have not seen any hint" in capsys.readouterr().out


def test_topic_defaults_to_the_first_not_green(repo, capsys):
    assert kata(repo, "hint") == 0
    captured = capsys.readouterr()
    assert "(topic 11: the first one not green yet)" in captured.err and "## forward" in captured.out
    assert kata(repo, "hint", "back") == 0
    assert "## backward" in capsys.readouterr().out
    assert kata(repo, "hint", "12x") == 2 and "no topic '12x'" in capsys.readouterr().err
    state = repo / ".kata" / "state.json"
    state.write_text(json.dumps({"results": {"topic11_conv": {"fingerprint": "", "result": vars(
        TopicResult(11, 1, 1))}}}))
    assert kata(repo, "watch") == 2
    assert "every topic is green" in capsys.readouterr().err


def test_hint_problems_are_one_line(repo, capsys):
    assert kata(repo, "hint", "12") == 2
    assert "topic 12 has no hints yet" in capsys.readouterr().err
    assert kata(repo, "hint", "11", "nope") == 2
    assert "no section 'nope': they cover forward, backward" in capsys.readouterr().err
    (repo / "katas/topic11_conv/HINTS.md").write_text("# nothing\n")
    assert kata(repo, "hint", "11") == 2
    assert "has no hints in the expected form" in capsys.readouterr().err
    assert kata(repo, "hint", "99") == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_reset_keeps_a_backup(repo, capsys):
    path = repo / "katas/topic11_conv/conv.py"
    path.write_text("my work\n")
    assert kata(repo, "reset", "11") == 0
    said = capsys.readouterr().out
    assert path.read_text() == BLANK and "restored the blank kata" in said
    (backup,) = (repo / ".kata" / "backups" / "topic11_conv").glob("*/conv.py")
    assert backup.read_text() == "my work\n"
    assert kata(repo, "reset", "11", "conv.py") == 0
    assert "already the blank kata" in capsys.readouterr().out
    path.unlink()
    assert kata(repo, "reset", "11") == 0
    assert path.read_text() == BLANK and "kept" not in capsys.readouterr().out
    assert kata(repo, "reset", "11", "other") == 2
    assert "has no kata file 'other': its files are conv" in capsys.readouterr().err


def test_status_and_watch(repo, capsys):
    assert kata(repo, "status") == 0
    out = capsys.readouterr().out
    assert "11  conv" in out and "not started" in out and "no specs yet" in out
    assert "Next: `./kata watch 11`" in out
    path = repo / "katas/topic11_conv/conv.py"
    path.write_text(BLANK.replace('raise NotImplementedError("see README.md")', "return x"))
    assert kata(repo, "watch", "11", "--once") == 1
    out = capsys.readouterr().out
    assert "1 of 2 specs pass (red)" in out and "shape 1/1 | fixture 0/1" in out
    assert "First failing spec: test_fails  (fixture spec)" in out
    assert "forward(stride=1): out does not match" in out
    assert kata(repo, "status") == 0  # cached: nothing changed since watch
    assert "red     [##########..........]   1 of 2" in capsys.readouterr().out
    assert kata(repo, "hint", "11") == 0  # the first failure is about forward
    assert "## forward" in capsys.readouterr().out
    path.unlink()
    assert kata(repo, "watch", "11") == 2
    assert "conv.py is missing: `./kata reset 11` restores" in capsys.readouterr().err
    assert kata(repo, "status") == 0
    assert "is missing (./kata reset 11)" in capsys.readouterr().out
    assert kata(repo, "watch", "12") == 2
    assert "topic 12 has no specs yet" in capsys.readouterr().err


def test_check_and_green(repo, capsys):
    (repo / "specs/topic11_conv/test_conv.py").write_text("def test_ok():\n    pass\n")
    assert kata(repo, "check") == 0
    out = capsys.readouterr().out
    assert "1 of 1 topics green; 1 of 1 specs pass" in out
    found = topics.discover(repo)
    blank = TopicResult(11, 0, 1, [Failure("i", "f is not implemented yet")])
    assert "not started   (1 specs)" in summary_line(found[0], blank, Out())
    waiting = summary_line(found[0], blank, Out(), started=True)  # it waits on another topic
    assert "red" in waiting and waiting.endswith("waiting for f")
    three = TopicResult(11, 0, 3, [Failure("i", f"{n} is not implemented yet") for n in "fgh"])
    assert summary_line(found[0], three, Out(), started=True).endswith("waiting for f, g ...")
    found = topics.discover(repo)
    show_watch(found[0], TopicResult(11, 2, 2, kinds={"shape": [2, 2]}), Out(), found)
    assert "topic 11 is done. Next: `./kata watch 12`" in capsys.readouterr().out
    waits = TopicResult(12, 0, 1, [Failure("i", "f needs g, which is not implemented yet: it belongs "
                                            "to topic11_conv, see katas/topic11_conv/README.md")])
    show_watch(found[1], waits, Out(), found)
    assert "1 spec waits for g (not implemented yet). Finish topic 11 first: `./kata watch 11`." in \
        capsys.readouterr().out
    show_watch(found[1], TopicResult(12, 1, 1), Out(), found)  # topic 11 is still the blank kata
    last = capsys.readouterr().out
    assert "That was the last topic" not in last
    assert "but topic 11 is not done yet (not started, or not green): `./kata watch 11` next" in last
    show_watch(found[0], TopicResult(11, errors=["specs/x.py: SyntaxError"]), Out(), found)
    assert "could not be collected" in capsys.readouterr().out
    assert kata(repo, "status") == 0
    assert "Every topic is green" not in capsys.readouterr().out  # topic 12 has no specs
    (repo / "katas/topic11_conv/conv.py").write_text(BLANK.replace("raise NotImplementedError\n",
                                                                   "return dout\n"))
    assert kata(repo, "check") == 0  # topic 11 started and green
    capsys.readouterr()
    show_watch(found[1], TopicResult(12, 1, 1), Out(), found)
    assert "That was the last topic: `tox -e milestone`" in capsys.readouterr().out
    assert kata(repo, "hint", "11") == 0  # green: no hint, the way on
    said = capsys.readouterr().out
    assert "Topic 11 is green: every spec passes, no hint needed. Next: `./kata watch 12`" in said
    assert "### Tier" not in said and "`./kata hint 11 --all`" in said
    assert kata(repo, "hint", "11", "backward") == 0  # a named function still gets its hint
    assert "## backward" in capsys.readouterr().out
    assert kata(repo) == 0 and "status" in capsys.readouterr().out  # no command: the help


def test_every_spec_run_is_the_last_run(repo, capsys):
    """A plain pytest run (what `tox -e topicNN` starts) is what `./kata hint` and `status` read;
    a narrowed run names the failing function but does not stand for the topic's progress."""
    path = repo / "katas/topic11_conv/conv.py"
    path.write_text(BLANK.replace('raise NotImplementedError("see README.md")', "return x"))
    env = {**os.environ, "KATA_IMPL": "katas",
           "PYTHONPATH": os.pathsep.join([str(repo), str(topics.REPO_ROOT)])}
    pytest_run = [sys.executable, "-m", "pytest", "-p", runner.PLUGIN, "-q", "-p", "no:cacheprovider"]
    subprocess.run(pytest_run + ["specs/topic11_conv", "-k", "fails"], cwd=repo, env=env,
                   capture_output=True, check=False)
    entry = json.loads((repo / ".kata" / "state.json").read_text())["results"]["topic11_conv"]
    assert entry["complete"] is False and entry["result"]["total"] == 1
    assert kata(repo, "hint", "11") == 0
    assert "## forward" in capsys.readouterr().out
    subprocess.run(pytest_run + ["specs/topic11_conv"], cwd=repo, env=env, capture_output=True,
                   check=False)
    entry = json.loads((repo / ".kata" / "state.json").read_text())["results"]["topic11_conv"]
    assert entry["complete"] is True and entry["result"]["passed"] == 1
    assert kata(repo, "status") == 0  # no "(running the specs ...)": the pytest run counts
    captured = capsys.readouterr()
    assert "1 of 2" in captured.out and "running" not in captured.err
    subprocess.run(pytest_run + ["specs/topic11_conv"], cwd=repo, capture_output=True, check=False,
                   env={**env, "KATA_IMPL": "solutions"})  # not the learner's run: not recorded
    assert json.loads((repo / ".kata" / "state.json").read_text())["results"]["topic11_conv"] == entry


def test_results_bookkeeping():
    payload = {"tests": [
        {"id": "specs/topic11_a/test_x.py::t1", "outcome": "passed", "kinds": ["shape"], "message": ""},
        {"id": "specs/topic11_a/test_x.py::t2", "outcome": "failed", "kinds": [],
         "message": "f not implemented yet"},
        {"id": "specs/topic11_a/test_x.py::t3", "outcome": "skipped", "kinds": [], "message": ""},
        {"id": "elsewhere.py::t4", "outcome": "passed", "kinds": [], "message": ""},
    ], "errors": ["specs/topic11_a/test_y.py: SyntaxError"]}
    topic = topics.Topic(11, "topic11_a")
    result = runner.split_by_topic(payload, [topic], 1.5)[11]
    assert (result.passed, result.total, result.kinds) == (1, 2, {"shape": [1, 1], "other": [0, 1]})
    assert result.errors == ["specs/topic11_a/test_y.py: SyntaxError"] and not result.green
    assert TopicResult.from_json(result.to_json()) == result
    assert Failure("specs/a.py::t[x]", "").name == "t[x]"
    untouched = TopicResult(11, 0, 1, [Failure("i", "f is not implemented yet")])
    assert untouched.untouched and not TopicResult(11).untouched
    assert progress_bar(0, 0) == "[" + "." * 20 + "]"
    assert progress_bar(99, 100) == "[" + "#" * 19 + ".]"
    assert progress_bar(3, 3, width=4) == "[####]"


def test_run_topics_on_the_real_topic_11():
    topic = topics.resolve("11")
    result = runner.run_topics([topic], impl="solutions", extra=["-m", "shape"])[11]
    assert result.green and result.total == result.kinds["shape"][1] > 10


def test_which_python_runs_the_specs(repo, monkeypatch):
    topic = topics.resolve("11", repo)
    assert runner.spec_python(topic) == sys.executable  # KATA_PYTHON, set by the fixture
    monkeypatch.delenv("KATA_PYTHON")
    assert runner.spec_python(topic) == sys.executable  # this Python has pytest
    monkeypatch.setattr(runner.importlib.util, "find_spec", lambda name: None)
    monkeypatch.setattr(runner.shutil, "which", lambda name: None)
    with pytest.raises(topics.KataError, match="run `pip install tox`"):
        runner.spec_python(topic)
    calls = []

    def fake_tox(command, cwd):
        calls.append(command)
        if len(calls) == 2:
            shared = runner._venv_python(repo / ".tox" / "specs")
            shared.parent.mkdir(parents=True)
            shared.write_text("")
        return subprocess.CompletedProcess(command, 0 if len(calls) == 2 else 1)

    monkeypatch.setattr(runner.shutil, "which", lambda name: "/usr/bin/tox")
    monkeypatch.setattr(runner.subprocess, "run", fake_tox)
    said = []
    with pytest.raises(topics.KataError, match="--notest` failed"):
        runner.spec_python(topic, said.append)
    assert runner.spec_python(topic, said.append).endswith("python")
    assert calls[0] == ["/usr/bin/tox", "-e", "topic11", "--notest"] and "once" in said[0]
    assert runner.spec_python(topic) == str(runner._venv_python(repo / ".tox" / "specs"))


def test_pytest_that_does_not_start(repo, monkeypatch):
    monkeypatch.setenv("KATA_PYTHON", "false")
    with pytest.raises(topics.KataError, match=r"pytest did not run \(exit 1\)"):
        runner.run_topics([topics.resolve("11", repo)])
    assert runner.run_topics([]) == {}


def test_watch_survives_problems_and_stops_cleanly(repo, monkeypatch, capsys):
    from tools.kata_cli import cli

    def broken(*args, **kwargs):
        raise topics.KataError("pytest did not run (exit 4): boom")

    def stop():
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "run_topics", broken)
    monkeypatch.setattr(cli, "_pause", stop)
    assert kata(repo, "watch", "11") == 0
    out = capsys.readouterr().out
    assert "pytest did not run (exit 4): boom\n(waiting for a change" in out
    assert out.rstrip().endswith("Stopped watching topic 11.")


@pytest.mark.parametrize("topic", topics.discover(), ids=lambda t: f"topic{t.number}")
def test_every_topic_has_hints_the_kata_command_can_read(topic):
    assert topic.hints_path.exists(), f"{topic.relative(topic.hints_path)} is missing"
    sections = hints.parse(topic.hints_path.read_text(encoding="utf-8"))
    assert sections, f"{topic.relative(topic.hints_path)}: no `## <function>` sections"
    for section in sections:
        numbers = [tier.number for tier in section.tiers]
        assert numbers == list(range(1, len(numbers) + 1)), \
            f"{topic.relative(topic.hints_path)} ## {section.name}: tiers {numbers}, expected 1, 2, 3"
