"""Jupyter front end: an ipywidgets quiz that shows one question at a time.

Owns layout and rendering only. Every decision (is the choice complete, is it right, what is
the score) is forwarded to :mod:`quizzes.engine`, so a notebook behaves exactly like the CLI.
ipywidgets is imported inside the functions, so importing this module, or the ``quizzes``
package, never requires Jupyter.

    from quizzes import load_banks, select
    from quizzes.widgets import quiz_widget
    quiz_widget(select(load_banks(), services=["kms"], n=5, seed=1))
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

from quizzes.engine import GradeResult, InvalidAnswer, Mode, Report, Session
from quizzes.model import Question, QuestionType

__all__ = ["QuizView", "quiz_widget", "render_feedback", "render_report"]


def render_feedback(result: GradeResult) -> str:
    """HTML for one graded answer: verdict, then every option's explanation."""
    correct = ", ".join(result.correct_ids)
    if result.is_correct:
        head = "<p style='color:#1a7f37'><b>Correct.</b></p>"
    else:
        head = f"<p style='color:#cf222e'><b>Incorrect.</b> The answer is {correct}.</p>"
    if not result.counted:
        head += "<p><i>Time was up: this answer was not counted.</i></p>"
    items = []
    for option in result.options:
        verdict = "right" if option.correct else "wrong"
        mine = ", your choice" if option.chosen else ""
        items.append(
            f"<li><b>{html.escape(option.id)}</b> ({verdict}{mine}): "
            f"{html.escape(option.explanation)}</li>"
        )
    links = "".join(
        f"<li><a href='{html.escape(url, quote=True)}' target='_blank'>{html.escape(url)}</a></li>"
        for url in result.references
    )
    return f"{head}<ul>{''.join(items)}</ul><p>Read more:</p><ul>{links}</ul>"


def render_report(report: Report) -> str:
    """HTML table of the per-domain report."""
    rows = "".join(
        f"<tr><td>{html.escape(d.domain)}</td><td>{d.correct}</td><td>{d.answered}</td>"
        f"<td>{d.total}</td><td>{d.percent:.1f}%</td></tr>"
        for d in report.domains
    )
    return (
        "<table><tr><th>Domain</th><th>Correct</th><th>Answered</th><th>Total</th>"
        f"<th>Score</th></tr>{rows}</table>"
        f"<p><b>Score: {report.correct}/{report.total} ({report.percent:.1f}%)</b></p>"
    )


class QuizView:
    """The widgets of one quiz and the session they forward to.

    Kept as a class (rather than closures) so tests and notebooks can reach the controls:
    ``view.choice``, ``view.submit``, ``view.next``, ``view.feedback``.
    """

    def __init__(self, session: Session) -> None:
        import ipywidgets as w  # type: ignore[import-untyped, unused-ignore]

        self._w = w
        self.session = session
        self.index = 0
        self.header = w.HTML()
        self.stem = w.HTML()
        self.choice_box = w.VBox()
        self.choice: Any = None
        self.submit = w.Button(description="Submit", button_style="primary")
        self.next = w.Button(description="Next", disabled=True)
        self.message = w.HTML()
        self.feedback = w.HTML()
        self.submit.on_click(self._on_submit)
        self.next.on_click(self._on_next)
        self.root = w.VBox(
            [
                self.header,
                self.stem,
                self.choice_box,
                w.HBox([self.submit, self.next]),
                self.message,
                self.feedback,
            ]
        )
        self._show()

    @property
    def question(self) -> Question | None:
        questions = self.session.questions
        return questions[self.index] if self.index < len(questions) else None

    def _show(self) -> None:
        w = self._w
        question = self.question
        self.message.value = ""
        self.feedback.value = ""
        if question is None or self.session.finished:
            self._show_report()
            return
        total = len(self.session.questions)
        self.header.value = (
            f"<b>Question {self.index + 1} of {total}</b> &middot; "
            f"{html.escape(question.domain)} &middot; {question.difficulty}"
        )
        how_many = "" if question.choose == 1 else f" <i>(Choose {question.choose}.)</i>"
        self.stem.value = f"<p>{html.escape(question.stem)}{how_many}</p>"
        labels = [(f"{o.id}) {o.text}", o.id) for o in question.options]
        if question.kind is QuestionType.SINGLE:
            self.choice = w.RadioButtons(
                options=labels, value=None, layout=w.Layout(width="max-content")
            )
            self.choice_box.children = (self.choice,)
        else:
            self.choice = [
                w.Checkbox(value=False, description=label, indent=False) for label, _ in labels
            ]
            self.choice_box.children = tuple(self.choice)
        self.submit.disabled = False
        self.next.disabled = True

    def chosen_ids(self) -> list[str]:
        """The option ids currently selected in the controls."""
        question = self.question
        if question is None:
            return []
        if question.kind is QuestionType.SINGLE:
            return [] if self.choice.value is None else [self.choice.value]
        return [o.id for o, box in zip(question.options, self.choice, strict=True) if box.value]

    def _on_submit(self, _button: Any) -> None:
        question = self.question
        if question is None:
            return
        try:
            result = self.session.submit(question.id, self.chosen_ids())
        except InvalidAnswer as exc:
            self.message.value = f"<p style='color:#9a6700'>{html.escape(str(exc))}.</p>"
            return
        self.message.value = ""
        if self.session.mode.immediate_feedback or not result.counted:
            self.feedback.value = render_feedback(result)
        else:
            self.feedback.value = "<p>Answer recorded.</p>"
        self.submit.disabled = True
        self.next.disabled = False

    def _on_next(self, _button: Any) -> None:
        self.index += 1
        self._show()

    def _show_report(self) -> None:
        self.header.value = "<b>Finished</b>"
        self.stem.value = ""
        self.choice_box.children = ()
        self.submit.disabled = True
        self.next.disabled = True
        self.feedback.value = render_report(self.session.report())


def quiz_widget(
    questions: Sequence[Question], *, session: Session | None = None, mode: Mode = Mode.PRACTICE
) -> Any:
    """Build an ipywidgets quiz over ``questions`` (or over an existing ``session``).

    Returns the top-level widget; display it as a cell's last expression. The view object is
    attached as ``widget.quiz_view`` for notebooks that want to inspect it.
    """
    view = QuizView(session if session is not None else Session(questions, mode=mode))
    root = view.root
    root.quiz_view = view
    return root
