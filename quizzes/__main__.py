"""Terminal front end: ``python -m quizzes practice | mock | validate | list``.

Owns reading answers from a text stream and printing questions, feedback and reports; every
decision (which questions, right or wrong, late or not) is the engine's. ``main`` takes its
streams and clock as arguments so tests can drive a whole session in-process.

    python -m quizzes practice --service kms -n 10 --seed 3
    python -m quizzes mock --exam SCS-C03 -n 20 --minutes 30
    python -m quizzes validate
    python -m quizzes list
"""

from __future__ import annotations

import argparse
import secrets
import sys
import textwrap
import time
from collections import Counter
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from typing import TextIO

from quizzes.engine import (
    Clock,
    GradeResult,
    InvalidAnswer,
    Mode,
    Report,
    Session,
    parse_answer,
    select,
)
from quizzes.model import (
    BankError,
    Question,
    QuestionType,
    check_verify_targets,
    collect_problems,
    load_banks,
)

WIDTH = 88
QUIT_WORDS = frozenset({"q", "quit", "exit"})


class _Output:
    """Thin printer bound to one stream, so every line goes where main() was told."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def __call__(self, text: str = "", *, indent: int = 0, hang: int = 0) -> None:
        """Print wrapped text; continuation lines get ``hang`` extra spaces of indent."""
        if not text:
            self.stream.write("\n")
            return
        first, rest = " " * indent, " " * (indent + hang)
        for paragraph in text.split("\n"):
            wrapped = textwrap.fill(paragraph, WIDTH, initial_indent=first, subsequent_indent=rest)
            self.stream.write((wrapped or first.rstrip()) + "\n")
        self.stream.flush()


def _show_question(out: _Output, question: Question, number: int, total: int) -> None:
    out()
    out(f"Question {number}/{total}  [{question.id}]  {question.domain}  ({question.difficulty})")
    out(question.stem)
    if question.kind is QuestionType.MULTI:
        out(f"(Choose {question.choose}.)")
    for option in question.options:
        out(f"{option.id}) {option.text}", indent=2, hang=3)


def _prompt(question: Question) -> str:
    if question.kind is QuestionType.MULTI:
        return f"Your answer ({question.choose} letters, e.g. A,C; q to stop): "
    return "Your answer (one letter, e.g. A; q to stop): "


def _read_choice(out: _Output, stdin: TextIO, question: Question) -> frozenset[str] | None:
    """Ask until the input can be graded. None means the learner stopped (q or end of input)."""
    while True:
        out.stream.write(_prompt(question))
        out.stream.flush()
        line = stdin.readline()
        if not line:
            out()
            out("End of input: stopping here.")
            return None
        if line.strip().lower() in QUIT_WORDS:
            return None
        try:
            return parse_answer(line, question)
        except InvalidAnswer as exc:
            out(f"Not graded: {exc}.")


def _show_feedback(out: _Output, result: GradeResult) -> None:
    mine = ", ".join(sorted(result.chosen))
    if result.is_correct:
        out(f"You chose {mine}: correct.")
    else:
        out(f"You chose {mine}: incorrect. The answer is {', '.join(result.correct_ids)}.")
    for option in result.options:
        verdict = "right" if option.correct else "wrong"
        chosen = ", your choice" if option.chosen else ""
        out(f"{option.id} ({verdict}{chosen}): {option.explanation}", indent=2, hang=4)
    for url in result.references:
        out(f"Read more: {url}", indent=2)


def _show_report(out: _Output, report: Report) -> None:
    out()
    out("Report by exam domain")
    name_width = max([len("Domain"), *(len(d.domain) for d in report.domains)])
    out(f"  {'Domain':<{name_width}}  Correct  Answered  Total  Score")
    for d in report.domains:
        out(
            f"  {d.domain:<{name_width}}  {d.correct:>7}  {d.answered:>8}  {d.total:>5}"
            f"  {d.percent:5.1f}%"
        )
    if report.late:
        out(f"Answers after the deadline (not counted): {report.late}")
    out(
        f"Score: {report.correct}/{report.total} ({report.percent:.1f}%), "
        f"{report.answered} of {report.total} answered"
    )


def _pick(args: argparse.Namespace) -> tuple[list[Question], int]:
    """Select questions for practice/mock; a random seed is chosen (and shown) if none given."""
    seed = args.seed if args.seed is not None else secrets.randbelow(1_000_000)
    questions = select(
        load_banks(),
        services=args.service or (),
        exams=args.exam or (),
        domains=args.domain or (),
        n=args.n,
        seed=seed,
        shuffle_choices=args.shuffle_options,
    )
    return questions, seed


def _describe_filters(args: argparse.Namespace) -> str:
    parts = [
        f"{label} {', '.join(values)}"
        for label, values in (
            ("service", args.service),
            ("exam", args.exam),
            ("domain", args.domain),
        )
        if values
    ]
    return "; ".join(parts) or "all questions"


def _practice(args: argparse.Namespace, stdin: TextIO, out: _Output, clock: Clock) -> int:
    questions, seed = _pick(args)
    if not questions:
        out(f"No questions match ({_describe_filters(args)}).")
        return 1
    out(f"Practice: {len(questions)} question(s) ({_describe_filters(args)}), seed {seed}.")
    out(f"Run again with --seed {seed} to get the same questions.")
    session = Session(questions, mode=Mode.PRACTICE, clock=clock)
    for number, question in enumerate(questions, start=1):
        _show_question(out, question, number, len(questions))
        chosen = _read_choice(out, stdin, question)
        if chosen is None:
            session.finish()
            break
        _show_feedback(out, session.submit(question.id, chosen))
        progress = session.report()
        out(f"Score so far: {progress.correct}/{progress.answered}")
    _show_report(out, session.report())
    return 0


def _mock(args: argparse.Namespace, stdin: TextIO, out: _Output, clock: Clock) -> int:
    questions, seed = _pick(args)
    if not questions:
        out(f"No questions match ({_describe_filters(args)}).")
        return 1
    session = Session(
        questions, mode=Mode.MOCK, time_limit=timedelta(minutes=args.minutes), clock=clock
    )
    out(
        f"Mock exam: {len(questions)} question(s) ({_describe_filters(args)}), seed {seed}, "
        f"{args.minutes:g} minutes. Answers are graded at the end; an answer given after the "
        "time limit is not counted."
    )
    for number, question in enumerate(questions, start=1):
        if session.time_up():
            break
        remaining = session.remaining() or 0.0
        out(f"Time left: {int(remaining) // 60}:{int(remaining) % 60:02d}")
        _show_question(out, question, number, len(questions))
        chosen = _read_choice(out, stdin, question)
        if chosen is None:
            session.finish()
            break
        if not session.submit(question.id, chosen).counted:
            out("Time is up: that answer arrived after the deadline and was not counted.")
            break
    if session.time_up():
        out("The time limit has been reached.")
    out()
    out("Review")
    for question in questions:
        result = session.results.get(question.id)
        if result is None:
            out(f"{question.id}: not answered. The answer is {', '.join(question.answer)}.")
            continue
        verdict = "correct" if result.is_correct else "incorrect"
        out(f"{question.id}: {verdict} (you chose {', '.join(sorted(result.chosen))}).")
        if not result.is_correct:
            _show_feedback(out, result)
    _show_report(out, session.report())
    return 0


def _validate(args: argparse.Namespace, out: _Output) -> int:
    paths = [Path(p) for p in args.paths] or None
    questions, problems = collect_problems(paths)
    root = Path(args.root)
    if (root / "tests").is_dir():
        problems.extend(check_verify_targets(questions, root))
        checked = f"verify targets checked under {root.resolve()}"
    else:
        checked = f"verify targets not checked (no tests/ directory under {root.resolve()})"
    for problem in problems:
        out(f"ERROR {problem}")
    banks = len(set(q.source for q in questions))
    if problems:
        out(f"{len(problems)} problem(s) found.")
        return 1
    out(f"OK: {len(questions)} question(s) in {banks} bank(s); {checked}.")
    return 0


def _list(out: _Output) -> int:
    questions = load_banks()
    out(f"{len(questions)} question(s)")
    groups = (
        ("service", Counter(s for q in questions for s in q.services)),
        ("exam", Counter(e for q in questions for e in q.exam)),
        ("domain", Counter(q.domain for q in questions)),
        ("difficulty", Counter(str(q.difficulty) for q in questions)),
        ("type", Counter(str(q.kind) for q in questions)),
    )
    for title, counts in groups:
        out()
        out(f"By {title}:")
        for name, count in sorted(counts.items()):
            out(f"{name:<16} {count:>4}", indent=2)
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m quizzes", description="Exam-practice quizzes for Secrets Lab."
    )
    commands = parser.add_subparsers(dest="command", required=True)

    def add_selection(sub: argparse.ArgumentParser, default_n: int) -> None:
        sub.add_argument("--service", action="append", help="e.g. kms (repeatable)")
        sub.add_argument("--exam", action="append", help="e.g. SCS-C03 (repeatable)")
        sub.add_argument("--domain", action="append", help="e.g. 'SCS-C03 5' (repeatable)")
        sub.add_argument("-n", type=_positive_int, default=default_n, help="number of questions")
        sub.add_argument("--seed", type=int, help="repeat a previous selection")
        sub.add_argument(
            "--shuffle-options", action="store_true", help="shuffle and re-letter the options"
        )

    add_selection(commands.add_parser("practice", help="answer with feedback after each"), 10)
    mock = commands.add_parser("mock", help="timed exam, graded at the end")
    add_selection(mock, 20)
    mock.add_argument("--minutes", type=_positive_float, default=30.0, help="time limit")
    validate = commands.add_parser("validate", help="check banks; exit 1 on problems")
    validate.add_argument("paths", nargs="*", help="bank files (default: the packaged banks)")
    validate.add_argument("--root", default=".", help="repository root, for verify targets")
    commands.add_parser("list", help="count questions by service, exam and domain")
    return parser


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _positive_float(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError("must be positive")
    return value


def main(
    argv: Sequence[str] | None = None,
    *,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    clock: Clock = time.monotonic,
) -> int:
    args = _parser().parse_args(argv)
    out = _Output(stdout or sys.stdout)
    source = stdin or sys.stdin
    try:
        if args.command == "practice":
            return _practice(args, source, out, clock)
        if args.command == "mock":
            return _mock(args, source, out, clock)
        if args.command == "validate":
            return _validate(args, out)
        return _list(out)
    except BankError as exc:
        out(f"Cannot load the question banks: {exc}")
        return 2
    except KeyboardInterrupt:
        out()
        out("Interrupted.")
        return 130


if __name__ == "__main__":
    sys.exit(main())
