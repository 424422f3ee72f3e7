"""The terminal front end, run as a real subprocess (`python -m quizzes ...`) and in-process
with a fake clock for the timed mock exam."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import TextIO, cast

import yaml

from quizzes import Question, load_banks, select
from quizzes.__main__ import main

REPO = Path(__file__).resolve().parents[2]


def run_cli(*args: str, stdin: str = "", cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    # The repository root first, so the tests exercise this checkout even before installation.
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return subprocess.run(
        [sys.executable, "-W", "error", "-m", "quizzes", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=60,
    )


def wrong_answer(question: Question) -> str:
    wrong = [o for o in question.option_ids if o not in question.answer]
    if question.choose == 1:
        return wrong[0]
    return ",".join([*question.answer[1:], wrong[0]])


def test_practice_session_prints_feedback_and_a_domain_report() -> None:
    questions = select(load_banks(), services=["kms"], n=3, seed=1)
    answers = [
        ",".join(questions[0].answer),
        wrong_answer(questions[1]),
        "".join(questions[2].answer),
    ]
    done = run_cli(
        "practice", "--service", "kms", "-n", "3", "--seed", "1", stdin="\n".join(answers) + "\n"
    )

    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    out = done.stdout
    assert "Practice: 3 question(s) (service kms), seed 1." in out
    for number, question in enumerate(questions, start=1):
        assert f"Question {number}/3  [{question.id}]" in out
    assert "Score so far: 1/1" in out
    assert "Score so far: 1/2" in out
    assert "Score so far: 2/3" in out
    assert f"incorrect. The answer is {', '.join(questions[1].answer)}." in out
    # Every option's explanation of the wrongly answered question is shown.
    for option in questions[1].options:
        assert option.explanation.split(".")[0] in " ".join(out.split())
    assert "Score: 2/3 (66.7%), 3 of 3 answered" in out

    report = out[out.index("Report by exam domain") :]
    rows = re.findall(r"^  (\S+ [\d.]+)\s+(\d+)\s+(\d+)\s+(\d+)\s+([\d.]+)%$", report, re.M)
    assert sum(int(total) for *_, total, _ in rows) == 3
    assert sum(int(correct) for _, correct, *_ in rows) == 2
    assert {domain for domain, *_ in rows} == {q.domain for q in questions}


def test_practice_stops_gracefully_at_end_of_input() -> None:
    questions = select(load_banks(), services=["kms"], n=3, seed=1)
    done = run_cli(
        "practice", "--service", "kms", "-n", "3", "--seed", "1", stdin=wrong_answer(questions[0])
    )
    assert done.returncode == 0, done.stderr
    assert "End of input: stopping here." in done.stdout
    assert "Score: 0/3 (0.0%), 1 of 3 answered" in done.stdout
    assert "Traceback" not in done.stderr


def test_practice_asks_again_for_input_it_cannot_grade() -> None:
    [question] = select(load_banks(), services=["kms"], n=1, seed=5)
    stdin = io.StringIO("Z\n\n" + ",".join(question.answer) + "\n")
    stdout = io.StringIO()
    code = main(
        ["practice", "--service", "kms", "-n", "1", "--seed", "5"], stdin=stdin, stdout=stdout
    )
    out = stdout.getvalue()
    assert code == 0
    assert "Not graded: Z is not an option here" in out
    assert "Not graded: type the letter of your answer" in out
    assert "Score: 1/1 (100.0%), 1 of 1 answered" in out


def test_practice_with_no_matching_questions_fails() -> None:
    stdout = io.StringIO()
    code = main(
        ["practice", "--service", "acm-pca", "--seed", "1"], stdin=io.StringIO(), stdout=stdout
    )
    assert code == 1
    assert "No questions match (service acm-pca)." in stdout.getvalue()


class ClockedInput:
    """stdin whose every line takes the learner some seconds to type, on a fake clock."""

    def __init__(self, lines: list[tuple[float, str]]) -> None:
        self.lines = lines
        self.now = 0.0

    def clock(self) -> float:
        return self.now

    def readline(self) -> str:
        if not self.lines:
            return ""
        seconds, text = self.lines.pop(0)
        self.now += seconds
        return text + "\n"


def test_mock_exam_refuses_an_answer_after_the_time_limit() -> None:
    args = ["mock", "--exam", "SCS-C03", "-n", "3", "--minutes", "1", "--seed", "2"]
    questions = select(load_banks(), exams=["SCS-C03"], n=3, seed=2)
    typed = ClockedInput(
        [
            (20, ",".join(questions[0].answer)),
            (30, ",".join(questions[1].answer)),
            (15, ",".join(questions[2].answer)),  # 65 s in: five seconds too late
        ]
    )
    stdout = io.StringIO()
    code = main(args, stdin=cast(TextIO, typed), stdout=stdout, clock=typed.clock)
    out = stdout.getvalue()
    assert code == 0
    assert "Time left: 1:00" in out and "Time left: 0:40" in out and "Time left: 0:10" in out
    assert "Time is up: that answer arrived after the deadline and was not counted." in out
    assert f"{questions[2].id}: not answered." in out
    assert "Answers after the deadline (not counted): 1" in out
    assert "Score: 2/3 (66.7%), 2 of 3 answered" in out


def test_mock_exam_subprocess_reviews_answers_at_the_end() -> None:
    questions = select(load_banks(), exams=["SCS-C03"], n=2, seed=3)
    stdin = f"{wrong_answer(questions[0])}\n{','.join(questions[1].answer)}\n"
    done = run_cli(
        "mock", "--exam", "SCS-C03", "-n", "2", "--minutes", "30", "--seed", "3", stdin=stdin
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    before_review = out[: out.index("Review")]
    assert "The answer is" not in before_review  # no feedback during the exam
    assert f"{questions[0].id}: incorrect" in out
    assert f"{questions[1].id}: correct" in out
    assert "Score: 1/2 (50.0%), 2 of 2 answered" in out


def test_validate_passes_on_the_shipped_banks() -> None:
    done = run_cli("validate")
    assert done.returncode == 0, done.stdout + done.stderr
    count = len(load_banks())
    assert f"OK: {count} question(s) in " in done.stdout
    assert "verify targets checked" in done.stdout


def test_validate_reports_problems_with_file_and_id(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    question = {
        "id": "kms-950",
        "exam": ["SCS-C03"],
        "domain": "SCS-C03 5.3",
        "services": ["kms"],
        "type": "single",
        "difficulty": "easy",
        "stem": "Is this valid?",
        "options": [
            {"id": "A", "text": "Yes", "explanation": "Correct."},
            {"id": "B", "text": "No", "explanation": "Incorrect."},
        ],
        "answer": ["A", "B"],
        "references": ["https://example.com/"],
        "verify": "tests/quizzes/verify/test_kms_answers.py::test_that_does_not_exist",
    }
    bad.write_text(yaml.safe_dump({"questions": [question]}))
    done = run_cli("validate", str(bad))
    assert done.returncode == 1
    assert (
        "ERROR bad.yaml: kms-950: a 'single' question has exactly one answer, found 2"
        in done.stdout
    )
    assert (
        "ERROR bad.yaml: kms-950: reference 'https://example.com/' must be an https URL"
        in done.stdout
    )
    assert "problem(s) found." in done.stdout


def test_validate_checks_proof_links_only_where_tests_exist(tmp_path: Path) -> None:
    done = run_cli("validate", "--root", str(tmp_path))
    assert done.returncode == 0
    assert "verify targets not checked" in done.stdout


def test_list_counts_questions() -> None:
    done = run_cli("list")
    assert done.returncode == 0
    bank = load_banks()
    assert done.stdout.startswith(f"{len(bank)} question(s)")
    for section in ("service", "exam", "domain", "difficulty", "type"):
        assert f"By {section}:" in done.stdout
    kms = sum("kms" in q.services for q in bank)
    assert re.search(rf"^  kms\s+{kms}$", done.stdout, re.M)
    scs = sum("SCS-C03" in q.exam for q in bank)
    assert re.search(rf"^  SCS-C03\s+{scs}$", done.stdout, re.M)
    multi = sum(q.choose > 1 for q in bank)
    assert re.search(rf"^  multi\s+{multi}$", done.stdout, re.M)


def test_bad_arguments_exit_with_usage_error() -> None:
    done = run_cli("practice", "-n", "0")
    assert done.returncode == 2
    assert "must be at least 1" in done.stderr
