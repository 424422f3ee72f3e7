"""The bank validator: a good question loads into typed objects, and each kind of mistake is
reported with the bank file, the question id and what is wrong."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from quizzes import BankError, Difficulty, QuestionType, check_verify_targets, load_bank
from quizzes.model import check_collection, parse_bank

GOOD: dict[str, Any] = {
    "id": "kms-900",
    "exam": ["SCS-C03", "DVA-C02"],
    "domain": "SCS-C03 5.3",
    "services": ["kms"],
    "type": "multi",
    "choose": 2,
    "difficulty": "medium",
    "stem": "Which statements are true?",
    "options": [
        {"id": "A", "text": "First", "explanation": "Correct, because of one thing."},
        {"id": "B", "text": "Second", "explanation": "Incorrect, because of another."},
        {"id": "C", "text": "Third", "explanation": "Correct, for a third reason."},
    ],
    "answer": ["C", "A"],
    "references": ["https://docs.aws.amazon.com/kms/latest/APIReference/API_Encrypt.html"],
    "verify": "tests/quizzes/verify/test_kms_answers.py::test_encrypt_limit_is_4096_bytes",
}


def _bank(*questions: dict[str, Any]) -> str:
    return str(yaml.safe_dump({"questions": list(questions)}, sort_keys=False))


def _variant(**changes: Any) -> dict[str, Any]:
    question = copy.deepcopy(GOOD)
    for key, value in changes.items():
        if value is ...:
            del question[key]
        else:
            question[key] = value
    return question


def test_a_good_question_becomes_typed_data() -> None:
    questions, problems = parse_bank(_bank(GOOD), "good.yaml")
    assert problems == []
    [q] = questions
    assert q.id == "kms-900"
    assert q.exam == ("SCS-C03", "DVA-C02")
    assert q.kind is QuestionType.MULTI
    assert q.choose == 2
    assert q.answer == ("A", "C")  # kept in option order, whatever the YAML order
    assert q.difficulty is Difficulty.MEDIUM
    assert q.option("B").text == "Second"
    assert q.option_ids == ("A", "B", "C")
    assert q.source == "good.yaml"


def test_a_single_question_defaults_choose_to_one() -> None:
    single = _variant(type="single", choose=..., answer=["B"])
    [q], problems = parse_bank(_bank(single), "s.yaml")
    assert problems == []
    assert (q.kind, q.choose, q.answer) == (QuestionType.SINGLE, 1, ("B",))


BAD_CASES = {
    "unknown type": (_variant(type="both"), "field 'type' must be 'single' or 'multi'"),
    "multi without choose": (_variant(choose=...), "needs an integer 'choose'"),
    "choose too large": (_variant(choose=3, answer=["A", "B", "C"]), "'choose' must be at least"),
    "answer count off": (_variant(answer=["A"]), "'choose: 2' but the answer lists 1"),
    "single with two answers": (
        _variant(type="single", choose=..., answer=["A", "B"]),
        "exactly one answer, found 2",
    ),
    "answer not an option": (_variant(answer=["A", "E"]), "answer 'E' is not one of the options"),
    "plain http reference": (
        _variant(references=["http://docs.aws.amazon.com/kms/latest/developerguide/x.html"]),
        "must be an https URL",
    ),
    "non-AWS reference": (_variant(references=["https://example.com/kms"]), "must be an https URL"),
    "look-alike host": (
        _variant(references=["https://docs.aws.amazon.com.example.net/kms"]),
        "must be an https URL",
    ),
    "no references": (_variant(references=[]), "field 'references' must be a non-empty list"),
    "numeric difficulty": (
        _variant(difficulty=2),
        "field 'difficulty' must be easy, medium or hard",
    ),
    "domain of another exam": (_variant(domain="SAA-C03 1.3"), "names an exam not listed"),
    "malformed domain": (_variant(domain="Data Protection"), "must look like 'SCS-C03 5.3'"),
    "malformed exam": (_variant(exam=["SCS-C3"], domain="SCS-C3 5"), "exam code 'SCS-C3'"),
    "options out of order": (
        _variant(
            options=[
                {"id": "B", "text": "x", "explanation": "Correct, x."},
                {"id": "A", "text": "y", "explanation": "Incorrect, y."},
            ],
            type="single",
            choose=...,
            answer=["A"],
        ),
        "lettered A, B, C... in order",
    ),
    "missing explanation": (
        _variant(options=[*GOOD["options"][:2], {"id": "C", "text": "Third"}]),
        "option C explanation",
    ),
    "explanation naming a letter": (
        _variant(
            options=[
                *GOOD["options"][:2],
                {"id": "C", "text": "Third", "explanation": "Correct, unlike option B."},
            ]
        ),
        "refers to another option by letter",
    ),
    "duplicate option text": (
        _variant(
            options=[*GOOD["options"][:2], {"id": "C", "text": "first", "explanation": "Correct."}]
        ),
        "two options have the same text",
    ),
    "misspelt field": (
        _variant(refrences=["https://aws.amazon.com/kms/"]),
        "unknown field(s): refrences",
    ),
    "missing field": (_variant(stem=...), "missing field(s): stem"),
    "empty stem": (_variant(stem="  "), "field 'stem' must be a non-empty string"),
    "unknown service": (_variant(services=["secretmanager"]), "unknown service 'secretmanager'"),
    "malformed id": (_variant(id="KMS-1"), "field 'id' must look like 'kms-001'"),
    "malformed proof node id": (_variant(verify="test_kms_answers::test_x"), "pytest node id"),
}


@pytest.mark.parametrize(("question", "expected"), BAD_CASES.values(), ids=BAD_CASES.keys())
def test_each_mistake_is_reported_with_file_and_question(
    question: dict[str, Any], expected: str
) -> None:
    questions, problems = parse_bank(_bank(question), "bad.yaml")
    assert questions == []
    messages = [str(p) for p in problems]
    assert any(expected in m for m in messages), messages
    qid = question["id"] if isinstance(question.get("id"), str) else "question #1"
    assert all(m.startswith(f"bad.yaml: {qid}: ") for m in messages), messages


def test_load_bank_raises_bank_error_naming_file_and_id(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(_bank(GOOD, _variant(id="kms-901", stem="Other?", answer=["A", "Z"])))
    with pytest.raises(BankError) as excinfo:
        load_bank(path)
    assert "broken.yaml: kms-901: answer 'Z' is not one of the options" in str(excinfo.value)
    assert [p.question_id for p in excinfo.value.problems] == ["kms-901"]


def test_load_bank_returns_questions_from_a_good_file(tmp_path: Path) -> None:
    path = tmp_path / "fine.yaml"
    path.write_text(_bank(GOOD))
    assert [q.id for q in load_bank(path)] == ["kms-900"]


def test_a_repeated_yaml_key_is_an_error() -> None:
    text = _bank(GOOD)
    assert "\n  difficulty: medium\n" in text
    text = text.replace("\n  difficulty: medium\n", "\n  difficulty: medium\n  difficulty: hard\n")
    questions, problems = parse_bank(text, "dup.yaml")
    assert len(questions) == 1  # the question itself is fine; the file is not
    [problem] = problems
    assert str(problem).startswith("dup.yaml: kms-900: line ")
    assert str(problem).endswith("key 'difficulty' appears twice")


def test_invalid_yaml_and_wrong_top_level_shape() -> None:
    _, problems = parse_bank("questions: [", "torn.yaml")
    assert str(problems[0]).startswith("torn.yaml: not valid YAML")
    _, problems = parse_bank("- id: kms-001\n", "list.yaml")
    assert "a bank must be a mapping with a 'questions' list" in str(problems[0])
    _, problems = parse_bank(_bank(GOOD) + "title: x\n", "extra.yaml")
    assert [str(p) for p in problems] == ["extra.yaml: unknown top-level key(s): title"]


def test_ids_and_stems_must_be_unique_across_banks() -> None:
    [first], _ = parse_bank(_bank(GOOD), "one.yaml")
    [same_id], _ = parse_bank(_bank(_variant(stem="A different stem?")), "two.yaml")
    [same_stem], _ = parse_bank(
        _bank(_variant(id="kms-902", stem="which STATEMENTS are true")), "three.yaml"
    )
    problems = [str(p) for p in check_collection([first, same_id, same_stem])]
    assert problems == [
        "two.yaml: kms-900: id already used in one.yaml",
        "three.yaml: kms-902: same stem as kms-900 (one.yaml)",
    ]


def test_proof_targets_are_found_by_parsing(tmp_path: Path) -> None:
    test_file = tmp_path / "tests" / "demo" / "test_demo.py"
    test_file.parent.mkdir(parents=True)
    test_file.write_text(
        "import not_installed_anywhere\n\n"
        "def test_top():\n    pass\n\n"
        "class TestGroup:\n    def test_inner(self):\n        pass\n\n"
        "def helper():\n    pass\n"
    )
    targets = {
        "kms-901": "tests/demo/test_demo.py::test_top",
        "kms-902": "tests/demo/test_demo.py::TestGroup::test_inner",
        "kms-903": "tests/demo/test_demo.py::test_absent",
        "kms-904": "tests/demo/test_demo.py::helper",
        "kms-905": "tests/demo/test_missing.py::test_top",
        "kms-906": "tests/demo/test_demo.py::TestOther::test_inner",
    }
    questions = []
    for qid, node_id in targets.items():
        [q], problems = parse_bank(_bank(_variant(id=qid, stem=qid, verify=node_id)), "v.yaml")
        assert problems == []
        questions.append(q)
    failing = {str(p.question_id): p.message for p in check_verify_targets(questions, tmp_path)}
    assert sorted(failing) == ["kms-903", "kms-904", "kms-905", "kms-906"]
    assert failing["kms-905"] == "verify file tests/demo/test_missing.py not found"
