"""Fixtures of the measure tests: the case study's keyed tables with the article column the
measures compare (``outlet``) joined once by :func:`framing.join_articles`, as a user does."""

from __future__ import annotations

import pandas as pd
import pytest

import framing


@pytest.fixture(scope="session")
def outlet_sents(sents, articles) -> pd.DataFrame:
    """The case study's sentence table with ``outlet`` inserted after ``doc_id``."""
    return framing.join_articles(sents, articles)
