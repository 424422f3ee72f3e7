"""Question-bank schema: typed questions, YAML loading and validation.

This module owns what a quiz question *is* (frozen dataclasses), where the shipped banks live
(``quizzes/banks/*.yaml``, read through ``importlib.resources`` so an installed wheel works the
same as a checkout) and every rule a bank must satisfy. Loading is strict and complete: each
problem is reported with the bank file and question id, so a broken bank is caught by
``python -m quizzes validate`` or the test suite, never by a learner halfway through a quiz.
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from urllib.parse import urlsplit

import yaml  # type: ignore[import-untyped, unused-ignore]

__all__ = [
    "BankError",
    "Difficulty",
    "KNOWN_SERVICES",
    "Option",
    "Problem",
    "Question",
    "QuestionType",
    "REFERENCE_HOSTS",
    "bank_files",
    "check_collection",
    "check_verify_targets",
    "collect_problems",
    "load_bank",
    "load_banks",
    "parse_bank",
]


class QuestionType(StrEnum):
    """How many options a learner picks: one (``single``) or exactly ``choose`` (``multi``)."""

    SINGLE = "single"
    MULTI = "multi"


class Difficulty(StrEnum):
    """Words rather than 1-3, so a bank reads naturally and a typo cannot pass as a number."""

    EASY = "easy"
    MEDIUM = "medium"
    HARD = "hard"


# Service tags a question may carry. A closed set, because a misspelt tag ("secretmanager")
# would silently drop the question from every `--service` filter.
KNOWN_SERVICES = frozenset(
    {
        "kms",
        "secretsmanager",
        "ssm",
        "acm",
        "acm-pca",
        "iam",
        "organizations",
        "cloudtrail",
        "cloudwatch",
        "eventbridge",
        "s3",
        "ebs",
        "ec2",
        "rds",
        "dynamodb",
        "lambda",
        "cloudfront",
        "elb",
        "api-gateway",
    }
)

# References must be AWS's own pages: the bank teaches what AWS documents, not what a study
# guide remembers.
REFERENCE_HOSTS = frozenset({"docs.aws.amazon.com", "aws.amazon.com"})

_FIELDS_REQUIRED = (
    "id",
    "exam",
    "domain",
    "services",
    "type",
    "stem",
    "options",
    "answer",
    "references",
    "difficulty",
)
_FIELDS_OPTIONAL = ("choose", "verify")
_OPTION_FIELDS = ("id", "text", "explanation")
_MAX_OPTIONS = 8

_ID_RE = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*-\d{3}$")
_EXAM_RE = re.compile(r"^[A-Z]{3}-C\d{2}$")
_DOMAIN_RE = re.compile(r"^(?P<exam>[A-Z]{3}-C\d{2}) (?P<path>\d+(?:\.\d+)*)$")
_VERIFY_RE = re.compile(r"^(?P<path>tests/[\w./-]+\.py)::(?P<names>\w+(?:::\w+)?)$")
# Options are re-lettered when a session shuffles them, so an explanation that says
# "unlike option B" would point at the wrong option. Such wording is rejected up front.
_LETTER_REF_RE = re.compile(r"\b(?i:options?|answers?|choices?)\s+[A-H]\b")


@dataclass(frozen=True, slots=True)
class Option:
    """One answer option; every option explains why it is right or wrong."""

    id: str
    text: str
    explanation: str


@dataclass(frozen=True, slots=True)
class Question:
    """A validated exam-practice question.

    ``kind`` holds the YAML ``type`` field (renamed so it does not shadow the builtin).
    ``choose`` is 1 for single-answer questions. ``answer`` lists option ids in option order.
    ``source`` is the bank file the question came from, used in messages only.
    """

    id: str
    exam: tuple[str, ...]
    domain: str
    services: tuple[str, ...]
    kind: QuestionType
    choose: int
    stem: str
    options: tuple[Option, ...]
    answer: tuple[str, ...]
    references: tuple[str, ...]
    difficulty: Difficulty
    verify: str | None = None
    source: str = ""

    @property
    def option_ids(self) -> tuple[str, ...]:
        return tuple(option.id for option in self.options)

    def option(self, option_id: str) -> Option:
        for option in self.options:
            if option.id == option_id:
                return option
        raise KeyError(f"question {self.id} has no option {option_id!r}")


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a bank, located by file and (when known) question id."""

    source: str
    question_id: str | None
    message: str

    def __str__(self) -> str:
        where = self.source if self.question_id is None else f"{self.source}: {self.question_id}"
        return f"{where}: {self.message}"


class BankError(ValueError):
    """Raised when a bank fails validation; ``problems`` lists every failure found."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        count = len(self.problems)
        header = f"{count} problem{'s' if count != 1 else ''} in question bank(s):"
        super().__init__("\n".join([header, *(f"  {p}" for p in self.problems)]))


class _QuestionChecker:
    """Validates one raw YAML mapping, collecting problems instead of stopping at the first."""

    def __init__(self, raw: Mapping[object, object], source: str, index: int) -> None:
        self.raw = raw
        self.source = source
        raw_id = raw.get("id")
        self.qid = raw_id if isinstance(raw_id, str) and raw_id else f"question #{index + 1}"
        self.problems: list[Problem] = []

    def fail(self, message: str) -> None:
        self.problems.append(Problem(self.source, self.qid, message))

    def text(self, name: str, value: object) -> str:
        if not isinstance(value, str) or not value.strip():
            self.fail(f"field '{name}' must be a non-empty string")
            return ""
        return value.strip()

    def text_list(self, name: str, value: object) -> tuple[str, ...]:
        if not isinstance(value, list) or not value:
            self.fail(f"field '{name}' must be a non-empty list")
            return ()
        items = tuple(self.text(f"{name}[{i + 1}]", item) for i, item in enumerate(value))
        duplicates = sorted(item for item, n in Counter(items).items() if n > 1 and item)
        if duplicates:
            self.fail(f"field '{name}' repeats {', '.join(duplicates)}")
        return items

    def check(self) -> Question | None:
        raw = self.raw
        unknown = sorted(str(k) for k in raw if k not in _FIELDS_REQUIRED + _FIELDS_OPTIONAL)
        if unknown:
            self.fail(f"unknown field(s): {', '.join(unknown)}")
        missing = [name for name in _FIELDS_REQUIRED if name not in raw]
        if missing:
            self.fail(f"missing field(s): {', '.join(missing)}")
            return None

        qid = self.text("id", raw["id"])
        if qid and not _ID_RE.match(qid):
            self.fail("field 'id' must look like 'kms-001' (lower-case prefix, three digits)")

        exams = self.text_list("exam", raw["exam"])
        for exam in exams:
            if exam and not _EXAM_RE.match(exam):
                self.fail(f"exam code {exam!r} must look like 'SCS-C03'")

        domain = self.text("domain", raw["domain"])
        match = _DOMAIN_RE.match(domain)
        if domain and not match:
            self.fail(f"domain {domain!r} must look like 'SCS-C03 5.3' (exam code, task id)")
        elif match and match["exam"] not in exams:
            self.fail(f"domain {domain!r} names an exam not listed in 'exam'")

        services = self.text_list("services", raw["services"])
        for service in services:
            if service and service not in KNOWN_SERVICES:
                self.fail(
                    f"unknown service {service!r} (known: {', '.join(sorted(KNOWN_SERVICES))})"
                )

        kind = self._kind(raw["type"])
        stem = self.text("stem", raw["stem"])
        options = self._options(raw["options"])
        choose = self._choose(kind, raw.get("choose"), len(options))
        answer = self._answer(raw["answer"], options, kind, choose)
        references = self._references(raw["references"])
        difficulty = self._difficulty(raw["difficulty"])
        verify = self._verify(raw.get("verify"))

        if self.problems or kind is None or difficulty is None:
            return None
        return Question(
            id=qid,
            exam=exams,
            domain=domain,
            services=services,
            kind=kind,
            choose=choose,
            stem=stem,
            options=options,
            answer=answer,
            references=references,
            difficulty=difficulty,
            verify=verify,
            source=self.source,
        )

    def _kind(self, value: object) -> QuestionType | None:
        try:
            return QuestionType(str(value))
        except ValueError:
            self.fail(f"field 'type' must be 'single' or 'multi', not {value!r}")
            return None

    def _difficulty(self, value: object) -> Difficulty | None:
        try:
            return Difficulty(str(value))
        except ValueError:
            self.fail(f"field 'difficulty' must be easy, medium or hard, not {value!r}")
            return None

    def _options(self, value: object) -> tuple[Option, ...]:
        if not isinstance(value, list) or not 2 <= len(value) <= _MAX_OPTIONS:
            self.fail(f"field 'options' must be a list of 2 to {_MAX_OPTIONS} options")
            return ()
        options: list[Option] = []
        for i, item in enumerate(value):
            expected_id = chr(ord("A") + i)
            where = f"option {expected_id}"
            if not isinstance(item, dict):
                self.fail(f"{where} must be a mapping with id, text and explanation")
                continue
            unknown = sorted(str(k) for k in item if k not in _OPTION_FIELDS)
            if unknown:
                self.fail(f"{where} has unknown field(s): {', '.join(unknown)}")
            # Ids are A, B, C... in order, so "A,C" typed at a prompt means what it shows.
            if item.get("id") != expected_id:
                self.fail(
                    f"{where}: options must be lettered A, B, C... in order, "
                    f"found {item.get('id')!r}"
                )
            text = self.text(f"{where} text", item.get("text"))
            explanation = self.text(f"{where} explanation", item.get("explanation"))
            for label, body in (("text", text), ("explanation", explanation)):
                if _LETTER_REF_RE.search(body):
                    self.fail(
                        f"{where} {label} refers to another option by letter, "
                        "but options may be shuffled and re-lettered"
                    )
            options.append(Option(expected_id, text, explanation))
        texts = Counter(_normalize(option.text) for option in options)
        if any(n > 1 for n in texts.values()):
            self.fail("two options have the same text")
        return tuple(options)

    def _choose(self, kind: QuestionType | None, value: object, n_options: int) -> int:
        if kind is QuestionType.SINGLE:
            if value not in (None, 1) or isinstance(value, bool):
                self.fail("a 'single' question picks one option; drop 'choose' or set it to 1")
            return 1
        if kind is QuestionType.MULTI:
            if not isinstance(value, int) or isinstance(value, bool):
                self.fail("a 'multi' question needs an integer 'choose'")
                return 0
            if not 2 <= value < max(n_options, 2):
                self.fail(
                    f"'choose' must be at least 2 and less than the number of options ({n_options})"
                )
            return value
        return 0

    def _answer(
        self, value: object, options: Sequence[Option], kind: QuestionType | None, choose: int
    ) -> tuple[str, ...]:
        if not isinstance(value, list) or not value:
            self.fail("field 'answer' must be a non-empty list of option ids")
            return ()
        ids = [option.id for option in options]
        chosen = [str(item) for item in value]
        for item in chosen:
            if options and item not in ids:
                self.fail(f"answer {item!r} is not one of the options {', '.join(ids)}")
        if len(set(chosen)) != len(chosen):
            self.fail("field 'answer' repeats an option")
        if kind is QuestionType.SINGLE and len(chosen) != 1:
            self.fail(f"a 'single' question has exactly one answer, found {len(chosen)}")
        if kind is QuestionType.MULTI and choose and len(set(chosen)) != choose:
            self.fail(f"'choose: {choose}' but the answer lists {len(set(chosen))} option(s)")
        return tuple(i for i in ids if i in chosen)

    def _references(self, value: object) -> tuple[str, ...]:
        urls = self.text_list("references", value)
        for url in urls:
            if url and not _is_aws_reference(url):
                hosts = " or ".join(sorted(REFERENCE_HOSTS))
                self.fail(f"reference {url!r} must be an https URL on {hosts}")
        return urls

    def _verify(self, value: object) -> str | None:
        if value is None:
            return None
        node_id = self.text("verify", value)
        if node_id and not _VERIFY_RE.match(node_id):
            self.fail(
                f"verify {node_id!r} must be a pytest node id like 'tests/x/test_y.py::test_z'"
            )
        return node_id or None


def _normalize(text: str) -> str:
    """Case-, punctuation- and whitespace-insensitive form, for spotting duplicate stems."""
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def _is_aws_reference(url: str) -> bool:
    parts = urlsplit(url)
    return (
        parts.scheme == "https"
        and parts.hostname in REFERENCE_HOSTS
        and parts.username is None
        and parts.port is None
        and len(parts.path) > 1
    )


def _duplicate_keys(node: object, source: str, qid: str | None = None) -> list[Problem]:
    """PyYAML keeps the last of two equal keys silently; a bank with `answer:` twice is a bug."""
    problems: list[Problem] = []
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if key_node.value == "id" and isinstance(value_node, yaml.ScalarNode):
                qid = str(value_node.value)
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in seen:
                line = key_node.start_mark.line + 1
                problems.append(Problem(source, qid, f"line {line}: key {key!r} appears twice"))
            seen.add(key)
            problems.extend(_duplicate_keys(value_node, source, qid))
    elif isinstance(node, yaml.SequenceNode):
        for child in node.value:
            problems.extend(_duplicate_keys(child, source, qid))
    return problems


def parse_bank(text: str, source: str) -> tuple[list[Question], list[Problem]]:
    """Parse one bank's YAML text. Returns the valid questions and every problem found.

    A bank is a mapping with a ``questions`` list (room for bank-level metadata later).
    """
    try:
        document = yaml.safe_load(text)
        problems = _duplicate_keys(yaml.compose(text, Loader=yaml.SafeLoader), source)
    except yaml.YAMLError as exc:
        return [], [Problem(source, None, f"not valid YAML: {exc}")]
    if not isinstance(document, dict) or not isinstance(document.get("questions"), list):
        return [], [
            *problems,
            Problem(source, None, "a bank must be a mapping with a 'questions' list"),
        ]
    extra = sorted(str(k) for k in document if k != "questions")
    if extra:
        problems.append(Problem(source, None, f"unknown top-level key(s): {', '.join(extra)}"))
    questions: list[Question] = []
    for index, raw in enumerate(document["questions"]):
        if not isinstance(raw, dict):
            problems.append(Problem(source, f"question #{index + 1}", "must be a mapping"))
            continue
        checker = _QuestionChecker(raw, source, index)
        question = checker.check()
        problems.extend(checker.problems)
        if question is not None:
            questions.append(question)
    return questions, problems


def check_collection(questions: Iterable[Question]) -> list[Problem]:
    """Rules that span banks: ids are unique, and no stem is asked twice."""
    problems: list[Problem] = []
    first_by_id: dict[str, Question] = {}
    first_by_stem: dict[str, Question] = {}
    for question in questions:
        earlier = first_by_id.setdefault(question.id, question)
        if earlier is not question:
            problems.append(
                Problem(question.source, question.id, f"id already used in {earlier.source}")
            )
        earlier = first_by_stem.setdefault(_normalize(question.stem), question)
        if earlier is not question:
            problems.append(
                Problem(
                    question.source, question.id, f"same stem as {earlier.id} ({earlier.source})"
                )
            )
    return problems


def bank_files() -> list[Traversable]:
    """The banks shipped inside the package, sorted by file name."""
    folder = resources.files("quizzes").joinpath("banks")
    return sorted((f for f in folder.iterdir() if f.name.endswith(".yaml")), key=lambda f: f.name)


def collect_problems(
    paths: Iterable[Path | Traversable] | None = None,
) -> tuple[list[Question], list[Problem]]:
    """Load banks (default: the packaged ones) and return valid questions plus all problems."""
    files = list(bank_files() if paths is None else paths)
    questions: list[Question] = []
    problems: list[Problem] = []
    for file in files:
        try:
            text = file.read_text(encoding="utf-8")
        except OSError as exc:
            problems.append(Problem(str(file), None, f"cannot read: {exc}"))
            continue
        found, bad = parse_bank(text, file.name)
        questions.extend(found)
        problems.extend(bad)
    problems.extend(check_collection(questions))
    return questions, problems


def load_banks(paths: Iterable[Path | Traversable] | None = None) -> tuple[Question, ...]:
    """Load and validate banks (default: the packaged ones); raise BankError on any problem."""
    questions, problems = collect_problems(paths)
    if problems:
        raise BankError(problems)
    return tuple(questions)


def load_bank(path: Path | Traversable) -> tuple[Question, ...]:
    """Load and validate a single bank file; raise BankError on any problem."""
    return load_banks([path])


def _defines_test(tree: ast.Module, names: Sequence[str]) -> bool:
    """True when `names` (["test_x"] or ["TestClass", "test_x"]) is defined in the module."""
    body: Sequence[ast.stmt] = tree.body
    *classes, function = names
    for class_name in classes:
        found = [n for n in body if isinstance(n, ast.ClassDef) and n.name == class_name]
        if not found:
            return False
        body = found[0].body
    return any(
        isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef) and n.name == function for n in body
    )


def check_verify_targets(questions: Iterable[Question], root: Path) -> list[Problem]:
    """Every ``verify`` node id must name a test function that exists under ``root``.

    The file is parsed, not imported, so a test that needs a missing dependency is still found.
    """
    problems: list[Problem] = []
    for question in questions:
        if question.verify is None:
            continue
        match = _VERIFY_RE.match(question.verify)
        if match is None:
            problems.append(Problem(question.source, question.id, "verify is not a node id"))
            continue
        path = root / match["path"]
        if not path.is_file():
            problems.append(
                Problem(question.source, question.id, f"verify file {match['path']} not found")
            )
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        names = match["names"].split("::")
        if not names[-1].startswith("test") or not _defines_test(tree, names):
            problems.append(
                Problem(
                    question.source,
                    question.id,
                    f"verify target {question.verify} is not a test in that file",
                )
            )
    return problems
