"""framing: measure how news outlets frame one event, every number traceable to its sentences.

The public API is flat: ``from framing import load_corpus, sentences, ...``. Each module lists
its public names in ``__all__``; this file re-exports them, one line per module.
"""

from . import (
    actors,
    cache,
    cleaning,
    corpus,
    errors,
    frames,
    imports,
    mentions,
    methods,
    pipeline,
    segment,
    select,
    sentiment,
    shared,
    terms,
    tokens,
)
from . import quotes as _quotes_module  # the function framing.quotes shadows the module
from .actors import *  # noqa: F403
from .cache import *  # noqa: F403
from .cleaning import *  # noqa: F403
from .corpus import *  # noqa: F403
from .errors import *  # noqa: F403
from .figures import save_figure, save_table  # noqa: F401
from .frames import *  # noqa: F403
from .imports import *  # noqa: F403
from .mentions import *  # noqa: F403
from .methods import *  # noqa: F403
from .overview import is_case_study  # noqa: F401
from .pipeline import *  # noqa: F403
from .quotes import *  # noqa: F403
from .segment import *  # noqa: F403
from .select import *  # noqa: F403
from .sentiment import *  # noqa: F403
from .shared import *  # noqa: F403
from .terms import *  # noqa: F403
from .tokens import *  # noqa: F403

__version__ = "0.1.0"

_MODULES = [
    actors,
    cache,
    cleaning,
    corpus,
    errors,
    frames,
    imports,
    mentions,
    methods,
    _quotes_module,
    pipeline,
    segment,
    select,
    sentiment,
    shared,
    terms,
    tokens,
]
__all__ = sorted(
    {"save_figure", "save_table", "is_case_study", *(name for m in _MODULES for name in m.__all__)}
)
