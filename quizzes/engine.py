"""Quiz engine: selecting questions, grading answers, running sessions, reporting by domain.

Pure Python with no I/O and no Jupyter, so the CLI, the widgets and the tests all drive the
same rules. The only notion of time is an injectable clock (``() -> seconds``); the default is
``time.monotonic`` so a timed mock exam cannot be fooled by a wall-clock change.

Shuffling is seeded and derived from SHA-256 of ``(seed, question id)`` rather than from
``random``: the order is identical on every Python version, and adding a question to a bank
does not reshuffle the questions already there.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import timedelta
from enum import StrEnum
from typing import Any

from quizzes.model import Option, Question, QuestionType

__all__ = [
    "AlreadyAnswered",
    "Clock",
    "DomainScore",
    "GradeResult",
    "InvalidAnswer",
    "Mode",
    "OptionFeedback",
    "Report",
    "Session",
    "SessionError",
    "build_report",
    "check_choice",
    "domain_matches",
    "filter_questions",
    "grade",
    "parse_answer",
    "select",
    "shuffle_options",
]

Clock = Callable[[], float]
Seed = int | str


class InvalidAnswer(ValueError):
    """The learner's input cannot be graded (unknown letter, wrong number of choices)."""


class SessionError(RuntimeError):
    """The session cannot accept this submission (unknown question, session finished)."""


class AlreadyAnswered(SessionError):
    """Practice mode grades the first answer only: the explanations were already shown."""


# --------------------------------------------------------------------------- selection


def domain_matches(domain: str, wanted: str) -> bool:
    """True when ``domain`` is ``wanted`` or one of its sub-tasks.

    "SCS-C03 5" matches "SCS-C03 5.3" and "SCS-C03 5.3.3" but not "SCS-C03 50"; a bare exam
    code ("SCS-C03") matches every task of that exam.
    """
    return domain == wanted or domain.startswith(wanted + (" " if " " not in wanted else "."))


def filter_questions(
    questions: Iterable[Question],
    *,
    services: Iterable[str] = (),
    exams: Iterable[str] = (),
    domains: Iterable[str] = (),
) -> list[Question]:
    """Keep questions matching every given filter; within one filter, any value may match."""
    services, exams, domains = set(services), set(exams), tuple(domains)
    return [
        q
        for q in questions
        if (not services or services.intersection(q.services))
        and (not exams or exams.intersection(q.exam))
        and (not domains or any(domain_matches(q.domain, d) for d in domains))
    ]


def _order_key(seed: Seed, *parts: str) -> bytes:
    return hashlib.sha256("\x00".join((str(seed), *parts)).encode()).digest()


def shuffle_options(question: Question, seed: Seed) -> Question:
    """Return the question with options in a seeded order, re-lettered A, B, C...

    Re-lettering keeps the prompt honest ("type A or B") and the answer is remapped, so grading
    the returned question is exactly as correct as grading the original.
    """
    order = sorted(question.options, key=lambda o: _order_key(seed, question.id, o.id))
    relabel = {old.id: chr(ord("A") + i) for i, old in enumerate(order)}
    options = tuple(Option(relabel[o.id], o.text, o.explanation) for o in order)
    answer = tuple(o.id for o in options if o.id in {relabel[a] for a in question.answer})
    return replace(question, options=options, answer=answer)


def select(
    questions: Iterable[Question],
    *,
    services: Iterable[str] = (),
    exams: Iterable[str] = (),
    domains: Iterable[str] = (),
    n: int | None = None,
    seed: Seed | None = None,
    shuffle_choices: bool = False,
) -> list[Question]:
    """Filter, order and cut a list of questions.

    Without a seed the bank order is kept (and options are never shuffled); with one, the same
    seed always yields the same questions in the same order.
    """
    if n is not None and n < 0:
        raise ValueError("n must not be negative")
    chosen = filter_questions(questions, services=services, exams=exams, domains=domains)
    if seed is not None:
        chosen.sort(key=lambda q: _order_key(seed, q.id))
        if shuffle_choices:
            chosen = [shuffle_options(q, seed) for q in chosen]
    return chosen if n is None else chosen[:n]


# --------------------------------------------------------------------------- grading


@dataclass(frozen=True, slots=True)
class OptionFeedback:
    """One option after grading: was it right, did the learner pick it, and why."""

    id: str
    text: str
    explanation: str
    correct: bool
    chosen: bool


@dataclass(frozen=True, slots=True)
class GradeResult:
    """The outcome of one answer. ``counted`` is False for an answer after the deadline."""

    question_id: str
    domain: str
    chosen: frozenset[str]
    correct_ids: tuple[str, ...]
    is_correct: bool
    options: tuple[OptionFeedback, ...]
    references: tuple[str, ...]
    counted: bool = True


def check_choice(question: Question, chosen: Iterable[str]) -> frozenset[str]:
    """Validate a set of option ids for ``question``; raise InvalidAnswer with a helpful message.

    The number of choices is enforced here, as the exam interface asks for exactly N, so a
    learner who picks one option on a "choose two" question is asked again rather than marked
    wrong for a slip of the keyboard.
    """
    picked = frozenset(chosen)
    unknown = sorted(picked.difference(question.option_ids))
    if unknown:
        valid = ", ".join(question.option_ids)
        raise InvalidAnswer(f"{', '.join(unknown)} is not an option here (choose from {valid})")
    if len(picked) != question.choose:
        if question.kind is QuestionType.SINGLE:
            raise InvalidAnswer("choose exactly one option")
        raise InvalidAnswer(f"choose exactly {question.choose} options")
    return picked


def parse_answer(text: str, question: Question) -> frozenset[str]:
    """Turn typed input such as "a", "A,C" or "c a" into validated option ids."""
    letters = [part for part in re.split(r"[\s,;]+", text.strip().upper()) if part]
    # "AC" is a common way to type two letters; split it when every character is an option.
    if len(letters) == 1 and len(letters[0]) > 1 and set(letters[0]) <= set(question.option_ids):
        letters = list(letters[0])
    if not letters:
        raise InvalidAnswer(
            "type the letter of your answer, e.g. A"
            + ("" if question.choose == 1 else f" (or {question.choose} letters, e.g. A,C)")
        )
    return check_choice(question, letters)


def grade(question: Question, chosen: Iterable[str]) -> GradeResult:
    """Grade one answer. Multi-answer questions are all-or-nothing, as on AWS exams."""
    picked = check_choice(question, chosen)
    correct = frozenset(question.answer)
    return GradeResult(
        question_id=question.id,
        domain=question.domain,
        chosen=picked,
        correct_ids=question.answer,
        is_correct=picked == correct,
        options=tuple(
            OptionFeedback(o.id, o.text, o.explanation, o.id in correct, o.id in picked)
            for o in question.options
        ),
        references=question.references,
    )


# --------------------------------------------------------------------------- reports


@dataclass(frozen=True, slots=True)
class DomainScore:
    """Score for one exam domain or task; unanswered questions count as not correct."""

    domain: str
    total: int
    answered: int
    correct: int

    @property
    def percent(self) -> float:
        return 100.0 * self.correct / self.total if self.total else 0.0


@dataclass(frozen=True, slots=True)
class Report:
    """Per-domain and overall scores, as plain data."""

    domains: tuple[DomainScore, ...]
    total: int
    answered: int
    correct: int
    late: int = 0
    time_up: bool = False

    @property
    def percent(self) -> float:
        return 100.0 * self.correct / self.total if self.total else 0.0

    def to_rows(self) -> list[dict[str, object]]:
        """One dict per domain, ready for a table."""
        return [
            {
                "domain": d.domain,
                "total": d.total,
                "answered": d.answered,
                "correct": d.correct,
                "percent": round(d.percent, 1),
            }
            for d in self.domains
        ]

    def as_dict(self) -> dict[str, object]:
        return {
            "total": self.total,
            "answered": self.answered,
            "correct": self.correct,
            "percent": round(self.percent, 1),
            "late": self.late,
            "time_up": self.time_up,
            "domains": self.to_rows(),
        }

    def to_dataframe(self) -> Any:
        """The per-domain rows as a pandas DataFrame (pandas is imported only when asked)."""
        try:
            import pandas as pd  # type: ignore[import-untyped, unused-ignore]
        except ImportError as exc:  # pragma: no cover - pandas ships with the lab's deps
            raise ImportError(
                "Report.to_dataframe() needs pandas; use to_rows() without it"
            ) from exc
        columns = ["domain", "total", "answered", "correct", "percent"]
        return pd.DataFrame(self.to_rows(), columns=columns)


def _truncate_domain(domain: str, depth: int | None) -> str:
    if depth is None:
        return domain
    exam, _, path = domain.partition(" ")
    return f"{exam} {'.'.join(path.split('.')[:depth])}"


def _domain_sort_key(domain: str) -> tuple[str, tuple[int, ...]]:
    exam, _, path = domain.partition(" ")
    return exam, tuple(int(p) for p in path.split(".") if p.isdigit())


def build_report(
    questions: Sequence[Question],
    results: Mapping[str, GradeResult],
    *,
    late: int = 0,
    time_up: bool = False,
    depth: int | None = None,
) -> Report:
    """Score ``questions`` from ``results`` (keyed by question id).

    ``depth`` groups tasks under a coarser level: with depth=1, "SCS-C03 5.3" counts towards
    "SCS-C03 5". Results for questions outside ``questions`` are ignored.
    """
    if depth is not None and depth < 1:
        raise ValueError("depth must be at least 1")
    tally: dict[str, list[int]] = {}
    for question in questions:
        row = tally.setdefault(_truncate_domain(question.domain, depth), [0, 0, 0])
        result = results.get(question.id)
        row[0] += 1
        if result is not None and result.counted:
            row[1] += 1
            row[2] += result.is_correct
    domains = tuple(DomainScore(name, *tally[name]) for name in sorted(tally, key=_domain_sort_key))
    return Report(
        domains=domains,
        total=sum(d.total for d in domains),
        answered=sum(d.answered for d in domains),
        correct=sum(d.correct for d in domains),
        late=late,
        time_up=time_up,
    )


# --------------------------------------------------------------------------- sessions


class Mode(StrEnum):
    """Practice shows feedback after each answer; a mock exam only at the end."""

    PRACTICE = "practice"
    MOCK = "mock"

    @property
    def immediate_feedback(self) -> bool:
        return self is Mode.PRACTICE


class Session:
    """A run through a fixed list of questions, optionally against a time limit.

    The clock is read once at construction (the start) and at every submission. An answer
    submitted at or after the deadline is graded (so a UI can still explain it) but returned
    with ``counted=False`` and left out of the score, like an answer typed after an exam's
    timer reaches zero. In a mock exam an answer may be changed until the deadline; in practice
    mode the first answer stands, because its explanation has been shown.
    """

    def __init__(
        self,
        questions: Sequence[Question],
        *,
        mode: Mode = Mode.PRACTICE,
        time_limit: timedelta | None = None,
        clock: Clock = time.monotonic,
    ) -> None:
        ids = [q.id for q in questions]
        if len(set(ids)) != len(ids):
            raise ValueError("a session cannot contain the same question twice")
        if time_limit is not None and time_limit <= timedelta(0):
            raise ValueError("time_limit must be positive")
        self.questions: tuple[Question, ...] = tuple(questions)
        self.mode = mode
        self.time_limit = time_limit
        self._clock = clock
        self._by_id = {q.id: q for q in self.questions}
        self._results: dict[str, GradeResult] = {}
        self._late = 0
        self._closed = False
        self.started_at = clock()

    @property
    def deadline(self) -> float | None:
        if self.time_limit is None:
            return None
        return self.started_at + self.time_limit.total_seconds()

    def remaining(self) -> float | None:
        """Seconds left (never negative), or None for an untimed session."""
        deadline = self.deadline
        return None if deadline is None else max(0.0, deadline - self._clock())

    def time_up(self) -> bool:
        deadline = self.deadline
        return deadline is not None and self._clock() >= deadline

    @property
    def results(self) -> Mapping[str, GradeResult]:
        """Counted results so far, by question id (a copy; the session keeps its own)."""
        return dict(self._results)

    @property
    def late_answers(self) -> int:
        return self._late

    def next_question(self) -> Question | None:
        """The first question without a counted answer, or None when the session is over."""
        if self.finished:
            return None
        return next((q for q in self.questions if q.id not in self._results), None)

    @property
    def finished(self) -> bool:
        return self._closed or self.time_up() or len(self._results) == len(self.questions)

    def finish(self) -> None:
        """End the session early (the learner stops); later submissions are refused."""
        self._closed = True

    def submit(self, question_id: str, chosen: Iterable[str]) -> GradeResult:
        """Grade and record an answer. Raises InvalidAnswer for input that cannot be graded."""
        question = self._by_id.get(question_id)
        if question is None:
            raise SessionError(f"question {question_id} is not part of this session")
        if self._closed:
            raise SessionError("the session has ended")
        result = grade(question, chosen)
        if self.time_up():
            self._late += 1
            return replace(result, counted=False)
        if self.mode is Mode.PRACTICE and question_id in self._results:
            raise AlreadyAnswered(f"question {question_id} was already answered")
        self._results[question_id] = result
        return result

    def report(self, *, depth: int | None = None) -> Report:
        return build_report(
            self.questions, self._results, late=self._late, time_up=self.time_up(), depth=depth
        )
