"""Exam-practice quizzes for Secrets Lab: the public API.

Question banks (``quizzes/banks/*.yaml``) are loaded and validated by :mod:`quizzes.model`;
selection, grading, timed sessions and per-domain reports live in :mod:`quizzes.engine`.
The terminal front end is ``python -m quizzes``; the Jupyter one is
:func:`quizzes.widgets.quiz_widget` (not imported here, so this package never pulls in
ipywidgets).

    >>> from quizzes import load_banks, select, grade
    >>> questions = select(load_banks(), services=["kms"], n=5, seed=1)
    >>> grade(questions[0], questions[0].answer).is_correct
    True
"""

from quizzes.engine import (
    AlreadyAnswered,
    DomainScore,
    GradeResult,
    InvalidAnswer,
    Mode,
    OptionFeedback,
    Report,
    Session,
    SessionError,
    build_report,
    check_choice,
    filter_questions,
    grade,
    parse_answer,
    select,
    shuffle_options,
)
from quizzes.model import (
    BankError,
    Difficulty,
    Option,
    Problem,
    Question,
    QuestionType,
    check_verify_targets,
    collect_problems,
    load_bank,
    load_banks,
)

__all__ = [
    "AlreadyAnswered",
    "BankError",
    "Difficulty",
    "DomainScore",
    "GradeResult",
    "InvalidAnswer",
    "Mode",
    "Option",
    "OptionFeedback",
    "Problem",
    "Question",
    "QuestionType",
    "Report",
    "Session",
    "SessionError",
    "build_report",
    "check_choice",
    "check_verify_targets",
    "collect_problems",
    "filter_questions",
    "grade",
    "load_bank",
    "load_banks",
    "parse_answer",
    "select",
    "shuffle_options",
]
