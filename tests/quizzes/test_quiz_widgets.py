"""The ipywidgets front end renders questions and forwards answers to the engine; clicks are
simulated with Button.click(), so no browser or kernel is needed."""

from __future__ import annotations

import html
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from quizzes import Mode, Question, Session, load_banks, select
from quizzes.widgets import QuizView, quiz_widget


def _pick() -> list[Question]:
    bank = load_banks()
    single = next(q for q in bank if q.choose == 1)
    multi = next(q for q in bank if q.choose > 1)
    return [single, multi]


def test_importing_the_package_does_not_import_ipywidgets() -> None:
    repo = Path(__file__).resolve().parents[2]
    code = "import sys, quizzes, quizzes.widgets; print('ipywidgets' in sys.modules)"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=repo, check=True
    )
    assert done.stdout.strip() == "False"


def test_a_practice_quiz_shows_feedback_and_a_final_report() -> None:
    single, multi = _pick()
    widget = quiz_widget([single, multi])
    view: QuizView = widget.quiz_view
    assert "Question 1 of 2" in view.header.value
    assert [value for _, value in view.choice.options] == list(single.option_ids)

    view.submit.click()  # nothing selected: the engine refuses, the widget says why
    assert "choose exactly one option" in view.message.value
    assert view.session.report().answered == 0

    view.choice.value = single.answer[0]
    view.submit.click()
    assert "Correct." in view.feedback.value
    for option in single.options:
        assert html.escape(option.explanation) in view.feedback.value
    assert view.submit.disabled and not view.next.disabled

    view.next.click()
    assert "Question 2 of 2" in view.header.value
    assert f"Choose {multi.choose}." in view.stem.value
    assert len(view.choice) == len(multi.options)
    wrong = [o for o in multi.option_ids if o not in multi.answer][: multi.choose]
    for option_id, box in zip(multi.option_ids, view.choice, strict=True):
        box.value = option_id in wrong
    assert view.chosen_ids() == wrong
    view.submit.click()
    assert "Incorrect." in view.feedback.value
    assert f"The answer is {', '.join(multi.answer)}." in view.feedback.value

    view.next.click()
    assert view.header.value == "<b>Finished</b>"
    assert "Score: 1/2 (50.0%)" in view.feedback.value
    assert view.choice_box.children == ()


def test_a_mock_quiz_hides_feedback_and_stops_at_the_deadline() -> None:
    questions = select(load_banks(), services=["kms"], n=2, seed=4)
    now = [0.0]
    session = Session(
        questions, mode=Mode.MOCK, time_limit=timedelta(seconds=60), clock=lambda: now[0]
    )
    view: QuizView = quiz_widget(questions, session=session).quiz_view
    first = questions[0]
    if first.choose == 1:
        view.choice.value = first.answer[0]
    else:
        for option_id, box in zip(first.option_ids, view.choice, strict=True):
            box.value = option_id in first.answer
    view.submit.click()
    assert view.feedback.value == "<p>Answer recorded.</p>"

    now[0] = 61.0
    view.next.click()  # time is up: the quiz ends with the report
    assert view.header.value == "<b>Finished</b>"
    assert "Score: 1/2 (50.0%)" in view.feedback.value
