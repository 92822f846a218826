"""A long run of capitalised words costs recognition time in proportion to its length, not its square.

Once, every match in a run re-read the whole run, so 16,000 pasted names took 11 s and a 2 MB file hours.
Timing tests flake on a loaded machine, so the work is counted instead: the lines of geo/parse/recognize.py
executed (a deterministic count of the interpreter's line events) and the phrases looked up in the gazetteer.
A 4x longer run must cost about 4x (linear), far from 16x (quadratic).
"""

from __future__ import annotations

import random
import sys

import geo.parse.recognize as recognize_module
from geo.parse.recognize import Recognizer

NAMES = ["Aleppo", "Homs", "Idlib", "Paris", "London", "Kabul", "Mosul", "Raqqa", "Berlin", "Damascus",
         "Kandahar", "Herat", "Lomax", "Jaskel", "Corvin", "Delmar"]


def _run(n: int) -> str:
    rnd = random.Random(7)
    return " ".join(rnd.choice(NAMES) for _ in range(n))


def _lines_executed(recognizer: Recognizer, text: str) -> int:
    """Line events in geo/parse/recognize.py while recognising `text` (loop iterations included)."""
    count = 0
    target = recognize_module.__file__

    def local(frame, event, arg):
        nonlocal count
        if event == "line":
            count += 1
        return local

    def tracer(frame, event, arg):
        return local if frame.f_code.co_filename == target else None

    old = sys.gettrace()
    sys.settrace(tracer)
    try:
        recognizer.find(text)
    finally:
        sys.settrace(old)
    return count


def test_recognition_work_grows_linearly_with_a_run_of_capitalised_names(geoparser):
    rec = geoparser.recognizer
    rec.find(_run(50))  # warm caches (word frequencies) so both runs count the same kind of work
    small, large = _lines_executed(rec, _run(1000)), _lines_executed(rec, _run(4000))
    # Linear gives ~4.0; the quadratic version gave ~14.5 at these sizes.
    assert large / small < 6.0, (small, large)


def test_phrases_looked_up_are_bounded_per_word(geoparser, monkeypatch):
    rec = geoparser.recognizer
    looked: list[int] = []
    real = rec.gazetteer.lookup

    def counting(keys):
        keys = list(keys)
        looked.append(len(keys))
        return real(keys)

    monkeypatch.setattr(rec.gazetteer, "lookup", counting)
    n = 3000
    rec.find(_run(n))
    # At most one phrase per start word and phrase length, whatever the length of the run.
    assert sum(looked) <= n * recognize_module._MAX_WORDS


def test_a_long_run_still_finds_its_places(geoparser):
    found = {m.mention.text for m in geoparser.recognizer.find(_run(2000))}
    assert {"Aleppo", "Kabul"} <= found
