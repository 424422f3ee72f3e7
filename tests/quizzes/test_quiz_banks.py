"""The shipped question banks obey the schema and the house rules.

Most checks read the raw YAML themselves rather than trusting ``quizzes.model``, so a bug in the
validator cannot hide a bad question; the validator's own behaviour is tested in
test_quiz_model.py.
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from quizzes import Difficulty, QuestionType, collect_problems, load_banks

REPO = Path(__file__).resolve().parents[2]
BANK_DIR = resources.files("quizzes").joinpath("banks")
BANK_FILES = sorted(
    (f for f in BANK_DIR.iterdir() if f.name.endswith(".yaml")), key=lambda f: f.name
)


def _raw_questions() -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for bank in BANK_FILES:
        document = yaml.safe_load(bank.read_text(encoding="utf-8"))
        for raw in document["questions"]:
            found.append({**raw, "_bank": bank.name})
    return found


RAW = _raw_questions()
RAW_IDS = [q["id"] for q in RAW]


def _normalized(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def test_the_kms_bank_is_shipped_as_package_data() -> None:
    assert "kms.yaml" in [f.name for f in BANK_FILES]


def test_banks_load_and_validate_cleanly() -> None:
    questions, problems = collect_problems()
    assert [str(p) for p in problems] == []
    assert [q.id for q in questions] == RAW_IDS
    assert load_banks() == tuple(questions)


def test_at_least_fifteen_kms_questions() -> None:
    kms = [q for q in load_banks() if "kms" in q.services]
    assert len(kms) >= 15
    assert {q.kind for q in kms} == {QuestionType.SINGLE, QuestionType.MULTI}


def test_ids_are_unique_across_banks() -> None:
    repeated = [qid for qid, n in Counter(RAW_IDS).items() if n > 1]
    assert repeated == []


def test_no_two_stems_are_the_same_after_normalizing() -> None:
    stems = Counter(_normalized(q["stem"]) for q in RAW)
    assert [stem for stem, n in stems.items() if n > 1] == []


@pytest.mark.parametrize("raw", RAW, ids=RAW_IDS)
def test_answers_are_among_the_options(raw: dict[str, Any]) -> None:
    option_ids = [o["id"] for o in raw["options"]]
    assert option_ids == [chr(ord("A") + i) for i in range(len(option_ids))]
    assert raw["answer"], "a question needs an answer"
    assert set(raw["answer"]) <= set(option_ids)
    assert len(set(raw["answer"])) == len(raw["answer"])


@pytest.mark.parametrize("raw", RAW, ids=RAW_IDS)
def test_answer_count_matches_the_question_type(raw: dict[str, Any]) -> None:
    if raw["type"] == "single":
        assert len(raw["answer"]) == 1
        assert raw.get("choose", 1) == 1
    else:
        assert raw["type"] == "multi"
        assert isinstance(raw["choose"], int) and raw["choose"] >= 2
        assert len(raw["answer"]) == raw["choose"]
        assert raw["choose"] < len(raw["options"])


@pytest.mark.parametrize("raw", RAW, ids=RAW_IDS)
def test_every_option_explains_itself(raw: dict[str, Any]) -> None:
    for option in raw["options"]:
        assert option["text"].strip(), option["id"]
        explanation = option["explanation"].strip()
        assert len(explanation) >= 20, option["id"]
        # The explanation must agree with the answer key, so a learner is never told
        # "Correct." about a wrong option.
        expected = "Correct." if option["id"] in raw["answer"] else "Incorrect"
        assert explanation.startswith(expected), option["id"]


@pytest.mark.parametrize("raw", RAW, ids=RAW_IDS)
def test_references_are_aws_documentation(raw: dict[str, Any]) -> None:
    assert raw["references"]
    for url in raw["references"]:
        parts = urlsplit(url)
        assert parts.scheme == "https", url
        assert parts.hostname in {"docs.aws.amazon.com", "aws.amazon.com"}, url
        assert len(parts.path) > 1, url


@pytest.mark.parametrize("raw", RAW, ids=RAW_IDS)
def test_metadata_fields_are_well_formed(raw: dict[str, Any]) -> None:
    assert re.fullmatch(r"[a-z][a-z0-9-]*-\d{3}", raw["id"])
    assert raw["exam"] and all(re.fullmatch(r"[A-Z]{3}-C\d{2}", e) for e in raw["exam"])
    exam, _, task = raw["domain"].partition(" ")
    assert exam in raw["exam"]
    assert re.fullmatch(r"\d+(\.\d+)*", task)
    assert raw["services"]
    assert raw["difficulty"] in {d.value for d in Difficulty}


def _test_functions(path: Path) -> set[str]:
    """Node-id tails ("test_x", "TestC::test_x") defined in a file, found by parsing it."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test"):
            names.add(node.name)
        if isinstance(node, ast.ClassDef):
            names.update(
                f"{node.name}::{child.name}"
                for child in node.body
                if isinstance(child, ast.FunctionDef) and child.name.startswith("test")
            )
    return names


PROVEN = [q for q in RAW if q.get("verify")]


@pytest.mark.parametrize("raw", PROVEN, ids=[q["id"] for q in PROVEN])
def test_proof_node_ids_name_existing_test_functions(raw: dict[str, Any]) -> None:
    path_text, _, name = raw["verify"].partition("::")
    path = REPO / path_text
    assert path.is_file(), f"{raw['id']}: {path_text} does not exist"
    assert name in _test_functions(path), f"{raw['id']}: no test {name} in {path_text}"


def test_the_four_simulator_proofs_are_linked() -> None:
    proofs = {q["id"]: q["verify"].partition("::")[2] for q in PROVEN}
    assert set(proofs.values()) >= {
        "test_encrypt_limit_is_4096_bytes",
        "test_disabled_key_refuses_encrypt",
        "test_decrypt_symmetric_ciphertext_without_key_id",
        "test_decrypt_with_different_context_fails",
    }
