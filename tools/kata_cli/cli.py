"""The `kata` command's subcommands: status, watch, hint, reset, check."""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import textwrap
import time
from datetime import datetime
from pathlib import Path

from . import hints as hints_md
from .runner import KINDS, TopicResult, fingerprint, run_topics
from .state import State
from .topics import (
    REPO_ROOT,
    KataError,
    Topic,
    blank_version,
    discover,
    require_kata_files,
    resolve,
    untouched,
)

BAR_WIDTH = 20
MESSAGE_LINES = 30  # lines of a failure message shown by watch
POLL_SECONDS = 0.5


# ---- output -------------------------------------------------------------------------------

class Out:
    """print with optional colour (only on a terminal, and never with NO_COLOR set)."""

    CODES = {"green": "32", "red": "31", "dim": "2", "bold": "1", "yellow": "33"}

    def __init__(self, stream=None):
        self.stream = stream or sys.stdout
        self.colour = self.stream.isatty() and "NO_COLOR" not in os.environ \
            and os.environ.get("TERM") != "dumb"
        if self.colour and os.name == "nt":
            os.system("")  # lets the Windows console interpret ANSI colours and screen clearing

    def paint(self, text: str, style: str) -> str:
        return f"\033[{self.CODES[style]}m{text}\033[0m" if self.colour else text

    def __call__(self, text: str = "") -> None:
        print(text, file=self.stream, flush=True)


def progress_bar(passed: int, total: int, width: int = BAR_WIDTH) -> str:
    filled = round(width * passed / total) if total else 0
    if passed < total:
        filled = min(filled, width - 1)  # never look full while something fails
    return "[" + "#" * filled + "." * (width - filled) + "]"


def kinds_line(result: TopicResult) -> str:
    order = [k for k in KINDS if k in result.kinds] + sorted(set(result.kinds) - set(KINDS))
    return " | ".join(f"{kind} {result.kinds[kind][0]}/{result.kinds[kind][1]}" for kind in order)


def summary_line(topic: Topic, result: TopicResult | None, out: Out, state_word: str = "",
                 started: bool = False) -> str:
    """One topic's line; a topic whose kata files are still blank (`started` False) reads 'not
    started' whatever its specs say (a few may pass on the learner's earlier topics)."""
    label = f"  {topic.number}  {topic.title:<28}"
    if state_word:
        return f"{label} {out.paint(state_word, 'dim')}"
    assert result is not None
    if result.errors and not result.total:
        return f"{label} {out.paint('error', 'red')}   the specs could not run: `./kata watch " \
               f"{topic.number}` shows why"
    if not started and not result.errors:  # the same words in status and check
        already = f"; {result.passed} pass already, on your earlier topics" if result.passed else ""
        return f"{label} {out.paint('not started', 'dim')}   ({result.total} specs{already})"
    word = out.paint("green", "green") if result.green else out.paint("red  ", "red")
    waiting = list(result.waiting())
    waits = (f"   waiting for {', '.join(waiting[:2])}{' ...' if len(waiting) > 2 else ''}"
             if waiting else "")
    return (f"{label} {word}   {progress_bar(result.passed, result.total)} "
            f"{result.passed:>3} of {result.total:<3} specs pass   {kinds_line(result)}{waits}")


# ---- results, cached by content -------------------------------------------------------------

def results_for(topics: list[Topic], state: State, fresh: bool, out: Out,
                all_topics: list[Topic]) -> dict[int, TopicResult]:
    """Results of `topics`' specs against the katas: cached when nothing they depend on changed."""
    results, stale = {}, []
    for topic in topics:
        cached = None if fresh else state.cached_result(topic.folder, fingerprint(topic, all_topics))
        if cached:
            results[topic.number] = TopicResult.from_json(cached)
        else:
            stale.append(topic)
    if stale:
        names = ", ".join(str(t.number) for t in stale)
        print(f"(running the specs of topic{'s' if len(stale) > 1 else ''} {names} ...)",
              file=sys.stderr, flush=True)
        ran = run_topics(stale, announce=out)
        for topic in stale:
            results[topic.number] = ran[topic.number]
            state.remember_result(topic.folder, fingerprint(topic, all_topics),
                                  ran[topic.number].to_json())
        state.save()
    return results


def topic_started(topic: Topic) -> bool:
    return not all(untouched(topic, path) for path in topic.kata_files())


def topic_done(topic: Topic, state: State, all_topics: list[Topic]) -> bool:
    """Green in a complete run of its current files, and no longer the blank kata (the words of
    `status`: a blank topic is 'not started' whatever its specs say)."""
    recorded = state.cached_result(topic.folder, fingerprint(topic, all_topics))
    return bool(recorded) and TopicResult.from_json(recorded).green and topic_started(topic)


def what_next(topic: Topic, all_topics: list[Topic]) -> str:
    """Where to go once `topic` is green: the next topic; after the last, the milestone, unless
    an earlier topic is not done yet (the milestone needs them all)."""
    later = [t for t in all_topics if t.number > topic.number]
    if later:
        return f"Next: `./kata watch {later[0].number}` (brief: {later[0].brief})."
    state = State(topic.root)
    behind = [t for t in all_topics if t.number < topic.number and t.has_specs()
              and not topic_done(t, state, all_topics)]
    if not behind:
        return "That was the last topic: `tox -e milestone` trains your CNN."
    names = ", ".join(str(t.number) for t in behind)
    these = f"topics {names} are" if len(behind) > 1 else f"topic {names} is"
    return (f"It is the last topic in number, but {these} not done yet (not started, or not "
            f"green): `./kata watch {behind[0].number}` next (`./kata status` shows each). The "
            f"milestone, `tox -e milestone`, trains on your Topics 12-17 once they are green.")


# ---- subcommands ----------------------------------------------------------------------------

def cmd_status(args, out: Out) -> int:
    all_topics = discover(args.root)
    state = State(args.root)
    runnable = [t for t in all_topics if t.has_specs() and not t.missing_files() and topic_started(t)]
    results = results_for(runnable, state, args.fresh, out, all_topics)
    for topic in all_topics:  # blank topics: not run, but a recorded run still counts
        recorded = state.cached_result(topic.folder, fingerprint(topic, all_topics))
        if topic.number not in results and recorded and topic.has_specs():
            results[topic.number] = TopicResult.from_json(recorded)
    out(out.paint("Your progress (katas/ against the specs):", "bold"))
    next_topic = None
    for topic in all_topics:
        result = results.get(topic.number)
        if not topic.has_specs():
            out(summary_line(topic, None, out, "no specs yet"))
        elif topic.missing_files():
            out(summary_line(topic, None, out, f"{topic.relative(topic.missing_files()[0])} is "
                                               f"missing (./kata reset {topic.number})"))
        elif result is None:  # its files are still the blank kata
            out(summary_line(topic, None, out, "not started"))
        else:
            out(summary_line(topic, result, out, started=topic_started(topic)))
        done = result is not None and result.green and topic_started(topic)
        if next_topic is None and topic.has_specs() and not done:
            next_topic = topic
    out()
    if next_topic is None:
        out("Every topic is green. Well done!")
    else:
        out(f"Next: `./kata watch {next_topic.number}` re-runs topic {next_topic.number}'s specs "
            f"as you save; the brief is {next_topic.brief}.")
    return 0


def cmd_check(args, out: Out) -> int:
    all_topics = discover(args.root)
    topics = [t for t in all_topics if t.has_specs()]
    if not topics:
        raise KataError("no topic has specs yet (specs/topicNN_*/test_*.py).")
    print(f"(running every topic's specs against {args.impl}/ ...)", file=sys.stderr, flush=True)
    results = run_topics(topics, impl=args.impl, announce=out)
    if args.impl == "katas":
        state = State(args.root)
        for topic in topics:
            state.remember_result(topic.folder, fingerprint(topic, all_topics),
                                  results[topic.number].to_json())
        state.save()
    out(out.paint(f"Every topic's specs against {args.impl}/:", "bold"))
    for topic in topics:
        out(summary_line(topic, results[topic.number], out, started=topic_started(topic)))
    green = [t for t in topics if results[t.number].green]
    passed = sum(r.passed for r in results.values())
    total = sum(r.total for r in results.values())
    seconds = next(iter(results.values())).seconds
    out(f"\n{len(green)} of {len(topics)} topics green; {passed} of {total} specs pass "
        f"({seconds:.1f} s).")
    return 0 if len(green) == len(topics) else 1


def current_topic(root: Path) -> Topic:
    """The first topic with specs that is not green yet (by the last results seen)."""
    state = State(root)
    for topic in discover(root):
        last = state.last_result(topic.folder)
        if topic.has_specs() and not (last and TopicResult.from_json(last).green):
            print(f"(topic {topic.number}: the first one not green yet)", file=sys.stderr)
            return topic
    raise KataError("every topic is green: name one, e.g. `./kata watch 17`.")


def _topic_and_function(args) -> tuple[Topic, str | None]:
    """`hint`, `hint 11`, `hint 11 f` or `hint f` (f in the current topic)."""
    if args.topic is None:
        return current_topic(args.root), None
    try:
        return resolve(args.topic, args.root), args.function
    except KataError:
        if args.function is not None or not args.topic[0].isalpha() or args.topic.startswith("topic"):
            raise
        return current_topic(args.root), args.topic


def cmd_hint(args, out: Out) -> int:
    topic, args.function = _topic_and_function(args)
    if not topic.hints_path.exists():
        raise KataError(f"topic {topic.number} has no hints yet ({topic.relative(topic.hints_path)} "
                        f"is missing); the brief is {topic.brief}.")
    sections = hints_md.parse(topic.hints_path.read_text(encoding="utf-8"))
    if not sections:
        raise KataError(f"{topic.relative(topic.hints_path)} has no hints in the expected form "
                        f"(`## <function>` sections with `### Tier 1: nudge` ... headings).")
    state = State(args.root)
    seen = state.hints_seen(topic.folder)
    if args.forget:
        seen.clear()
        state.save()
        out(f"Forgot which hints of topic {topic.number} you have seen.")
        return 0
    if args.all or args.again:
        shown = 0
        chosen = [_section_named(sections, args.function, topic)] if args.function else sections
        for section in chosen:
            count = len(section.tiers) if args.all else seen.get(section.name, 0)
            for index in range(count):
                out(hints_md.render(section, index, heading=index == 0) + "\n")
                shown += 1
            if args.all:
                seen[section.name] = len(section.tiers)
        if not shown:
            out(f"You have not seen any hint of topic {topic.number} yet: `./kata hint "
                f"{topic.number}` shows the first.")
        state.save()
        return 0
    if args.function:
        section = _section_named(sections, args.function, topic)
        if seen.get(section.name, 0) >= len(section.tiers):
            out(f"You have seen all {len(section.tiers)} tiers for {section.name}; here is the "
                f"last again.\n")
            out(hints_md.render(section, len(section.tiers) - 1))
            return 0
    else:
        failing = _failing_function(topic, sections, state, out)
        all_topics = discover(args.root)
        if topic_done(topic, state, all_topics):
            out(f"Topic {topic.number} is green: every spec passes, no hint needed. "
                f"{what_next(topic, all_topics)} (To read this topic's hints anyway: "
                f"`./kata hint {topic.number} --all`, or name a function.)")
            return 0
        section = hints_md.next_section(sections, seen, failing)
        if section is None:
            out(f"You have seen every hint of topic {topic.number}. `./kata hint {topic.number} "
                f"--again` shows them again; the brief is {topic.brief}.")
            return 0
    index = seen.get(section.name, 0)
    out(hints_md.render(section, index))
    seen[section.name] = index + 1
    state.save()
    remaining = len(section.tiers) - index - 1
    after = (f"`./kata hint {topic.number} {section.name}` for tier {index + 2}" if remaining
             else "the last tier for this function")
    out(out.paint(f"\n(tier {index + 1} of {len(section.tiers)} for {section.name}: {after}; "
                  f"`--all` for every tier)", "dim"))
    return 0


def _failing_function(topic: Topic, sections: list[hints_md.Section], state: State,
                      out: Out) -> str | None:
    """The function the topic's first failure is about, in a run of the current files: the last
    run (`tox -e topicNN`, `./kata`, pytest) if nothing changed since, else a fresh one."""
    all_topics = discover(topic.root)
    current = fingerprint(topic, all_topics)
    last = state.last_result(topic.folder, current)
    if last is None and topic.has_specs() and topic_started(topic):
        print(f"(running topic {topic.number}'s specs to see what fails now ...)",
              file=sys.stderr, flush=True)
        result = run_topics([topic], announce=out)[topic.number]
        state.remember_result(topic.folder, current, result.to_json())
        last = result.to_json()
    focus = TopicResult.from_json(last).focus() if last else None
    return hints_md.mentioned_function(focus.message, sections) if focus else None


def _section_named(sections: list[hints_md.Section], name: str, topic: Topic) -> hints_md.Section:
    section = hints_md.find_section(sections, name)
    if section is None:
        names = ", ".join(s.name for s in sections)
        raise KataError(f"topic {topic.number}'s hints have no section {name!r}: they cover {names}.")
    return section


def cmd_reset(args, out: Out) -> int:
    topic = resolve(args.topic, args.root)
    files = topic.kata_files()
    if args.module:
        wanted = args.module.removesuffix(".py")
        files = [p for p in files if p.stem == wanted]
        if not files:
            names = ", ".join(p.stem for p in topic.kata_files())
            raise KataError(f"topic {topic.number} has no kata file {args.module!r}: its files are "
                            f"{names}.")
    blanks = {path: blank_version(topic, path) for path in files}  # all found before any write
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    backup_dir = args.root / ".kata" / "backups" / topic.folder / stamp
    for path, blank in blanks.items():
        relative = topic.relative(path)
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == blank:
            out(f"{relative}: already the blank kata, nothing to do.")
            continue
        if current is not None:
            backup_dir.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, backup_dir / path.name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(blank, encoding="utf-8")
        kept = (f" Your version is kept in {(backup_dir / path.name).relative_to(args.root)}"
                if current is not None else "")
        out(f"{relative}: restored the blank kata.{kept}")
    return 0


def cmd_watch(args, out: Out) -> int:
    topic = resolve(args.topic, args.root) if args.topic else current_topic(args.root)
    if not topic.has_specs():
        raise KataError(f"topic {topic.number} has no specs yet ({topic.relative(topic.specs_dir)}).")
    require_kata_files(topic)
    all_topics = discover(args.root)
    state = State(args.root)
    seen = None
    try:
        while True:
            stamp = _watched_stamp(args.root, topic)
            if stamp != seen:
                if seen is not None:
                    out(out.paint("(a file changed: running the specs again ...)", "dim"))
                seen = stamp
                try:
                    require_kata_files(topic)
                    result = run_topics([topic], announce=out)[topic.number]
                except KataError as problem:
                    _clear(out)
                    out(f"{problem}\n(waiting for a change; Ctrl-C to stop)")
                    continue
                state.remember_result(topic.folder, fingerprint(topic, all_topics), result.to_json())
                state.save()
                _clear(out)
                show_watch(topic, result, out, all_topics)
                if args.once:
                    return 0 if result.green else 1
            _pause()
    except KeyboardInterrupt:
        out(f"\nStopped watching topic {topic.number}.")
        return 0


def _pause() -> None:
    time.sleep(POLL_SECONDS)


def _watched_stamp(root: Path, topic: Topic) -> tuple:
    """mtimes and sizes of every kata file and of the topic's specs (a save changes one)."""
    stamps = []
    for folder in (root / "katas", topic.specs_dir):
        for path in sorted(folder.rglob("*.py")):
            try:
                info = path.stat()
            except OSError:
                continue
            stamps.append((str(path), info.st_mtime_ns, info.st_size))
    return tuple(stamps)


def _clear(out: Out) -> None:
    if out.colour:
        out.stream.write("\033[2J\033[H")


def show_watch(topic: Topic, result: TopicResult, out: Out, all_topics: list[Topic]) -> None:
    clock = datetime.now().strftime("%H:%M:%S")
    out(out.paint(f"Topic {topic.number}: {topic.title}", "bold")
        + out.paint(f"   (watching katas/; save to re-run, Ctrl-C to stop; {clock}, "
                    f"{result.seconds:.1f} s)", "dim"))
    if result.errors:
        out(out.paint("The specs could not be collected:", "red"))
        out(_indent(result.errors[0]))
        return
    word = out.paint("green", "green") if result.green else out.paint("red", "red")
    out(f"{progress_bar(result.passed, result.total)} {result.passed} of {result.total} specs "
        f"pass ({word})   {kinds_line(result)}\n")
    if result.green:
        out(out.paint(f"All {result.total} specs pass: topic {topic.number} is done. ", "green")
            + what_next(topic, all_topics))
        return
    first = result.focus()
    kind = f"  ({', '.join(first.kinds)} spec)" if first.kinds else ""
    out(out.paint(f"First failing spec: {first.name}", "bold") + kind)
    out(_indent(first.message))
    waiting = result.waiting()
    errors = len(result.failures) - sum(waiting.values())  # failures in code already written
    more = errors - 1 if errors else 0
    notes = [f"{more} more failing." if more > 0 else ""]
    notes += [f"{count} spec{' waits' if count == 1 else 's wait'} for {name} (not implemented yet)."
              for name, count in waiting.items()]
    other = re.search(r"belongs to topic(\d+)_", first.message)
    if other and int(other.group(1)) != topic.number:
        notes.append(f"Finish topic {int(other.group(1))} first: `./kata watch {int(other.group(1))}`.")
    elif "./kata hint" not in first.message:
        notes.append(f"Stuck? `./kata hint {topic.number}` shows the next hint; the brief is "
                     f"{topic.brief}.")
    width = min(shutil.get_terminal_size((100, 24)).columns, 100)
    out("\n" + textwrap.fill(" ".join(note for note in notes if note), width,
                             break_long_words=False, break_on_hyphens=False))


def _indent(text: str, lines: int = MESSAGE_LINES) -> str:
    rows = text.splitlines() or ["(no message)"]
    cut = rows[:lines] + ([f"... ({len(rows) - lines} more lines)"] if len(rows) > lines else [])
    return "\n".join(f"  {row}" for row in cut)


# ---- the parser ------------------------------------------------------------------------------

def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="./kata", formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Your companion through the katas: progress, hints, watch mode, reset.",
        epilog="Start with `./kata status`, then `./kata watch 11`. State lives in .kata/ "
               "(gitignored).")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    topic_help = "a topic number such as 11 (or its folder name)"

    status = sub.add_parser("status", help="every topic: not started, red (k of n specs), green",
                            description="Every topic's state against your katas: not started, red "
                                        "with k of n specs passing, or green. Results are cached "
                                        "until a kata, spec or fixture file changes.")
    status.add_argument("--fresh", action="store_true", help="re-run the specs even if cached")
    status.set_defaults(run=cmd_status)

    watch = sub.add_parser("watch", help="re-run a topic's specs whenever you save a kata file",
                           description="Run topic N's specs, show a progress line and the first "
                                       "failing spec's message, and run them again whenever a "
                                       "file under katas/ is saved. Ctrl-C stops.")
    watch.add_argument("topic", nargs="?", help=topic_help + " (default: the first not green)")
    watch.add_argument("--once", action="store_true", help="run once and exit (0 when green)")
    watch.set_defaults(run=cmd_watch)

    hint = sub.add_parser("hint", help="the next unseen hint tier for a topic",
                          description="Show the next hint you have not seen for topic N: tier 1 "
                                      "(nudge), then 2 (approach), then 3 (nearly the code), for "
                                      "the function your first failing spec is about (or the "
                                      "first function with hints left).")
    hint.add_argument("topic", nargs="?", help=topic_help + " (default: the first not green)")
    hint.add_argument("function", nargs="?", help="the function to get a hint for (default: "
                                                  "the one you are stuck on)")
    group = hint.add_mutually_exclusive_group()
    group.add_argument("--all", action="store_true", help="show every tier of every function")
    group.add_argument("--again", action="store_true", help="show the hints you have seen again")
    group.add_argument("--forget", action="store_true", help="start the hints over")
    hint.set_defaults(run=cmd_hint)

    reset = sub.add_parser("reset", help="restore a topic's blank kata (yours is backed up)",
                           description="Restore topic N's blank kata files from git. Your version "
                                       "is copied to .kata/backups/<topic>/<time>/ first: nothing "
                                       "is lost.")
    reset.add_argument("topic", help=topic_help)
    reset.add_argument("module", nargs="?", help="only this file (e.g. conv2d)")
    reset.set_defaults(run=cmd_reset)

    check = sub.add_parser("check", help="run every topic's specs and print the summary",
                           description="Run every topic's specs (fresh, no cache) and print one "
                                       "line per topic. Exits 0 only when everything is green.")
    check.add_argument("--impl", choices=("katas", "solutions"), default="katas",
                       help="katas (yours, the default) or solutions (the reference)")
    check.set_defaults(run=cmd_check)
    return parser


def main(argv: list[str] | None = None, root: Path = REPO_ROOT) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help()
        return 0
    args.root = root
    out = Out()
    try:
        return args.run(args, out)
    except KataError as problem:
        print(f"kata: {problem}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\nInterrupted.", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `./kata hint 11 --all | head`: the reader has all it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
