"""Scoring an extraction against a gold file with the shared scorer's own formulas (../shared/extraction/score.py)."""

import importlib.util
import json
from functools import cache
from pathlib import Path

from nq57.extraction import extract_file, extract_text

SHARED = (Path(__file__).resolve().parents[3] / ".." / "shared").resolve()
SCORE_PY = SHARED / "extraction" / "score.py"


@cache
def _load_score_module():
    spec = importlib.util.spec_from_file_location("nq57_shared_score", SCORE_PY)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def score_module():
    """The shared scorer; the test fails (not skips) when ../shared/extraction/score.py is missing."""
    from nq57.core.testing import shared_path

    shared_path("extraction", "score.py")
    return _load_score_module()


def scores(gold_path: Path, source: Path | None = None, *, text: str | None = None) -> tuple[dict, float, float, float]:
    """(gold, tasks_f1, lead_acc, deadline_acc) of the extractor's output for the file ``source`` (or ``text``)."""
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    extracted = extract_file(source) if text is None else extract_text(text)
    pred = json.loads(json.dumps(extracted, ensure_ascii=False))
    c = score_module().score_doc(gold, pred)
    p = c["matched"] / c["pred"] if c["pred"] else 0.0
    r = c["matched"] / c["gold"] if c["gold"] else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    m = c["matched"] or 1
    return gold, f1, c["lead_ok"] / m, c["deadline_ok"] / m
