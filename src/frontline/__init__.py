"""Frontline: war reporting to a dated, geocoded event table and a time-slider map.

The public API, for scripts and notebooks::

    import frontline as fl
    table = fl.extract_events("examples/articles")    # paths, globs, Articles, a DataFrame
    table.filter(start="2022-11", region="Kherson")    # a table again
    table.summary(), table.plot(), table.explore()     # counts, a figure, the map

Names are imported lazily so that ``import frontline`` stays fast.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "Article": "articles",
    "load_articles": "articles",
    "iter_articles": "articles",
    "Gazetteer": "gazetteer",
    "Place": "gazetteer",
    "normalize_name": "gazetteer",
    "Mention": "geoparse",
    "TimeExpr": "timex",
    "tag_dates": "timex",
    "date_sentences": "timex",
    "Event": "events",
    "EventTable": "event_table",
    "extract_events": "extract",
    "process_article": "pipeline",
    "ArticleResult": "pipeline",
    "build_map": "mapbuild",
    "save_map": "mapbuild",
    "Overrides": "overrides",
    "FrontlineError": "errors",
    "explain": "review",
}

__all__ = [
    "Article",
    "ArticleResult",
    "Event",
    "EventTable",
    "FrontlineError",
    "Gazetteer",
    "Mention",
    "Overrides",
    "Place",
    "TimeExpr",
    "__version__",
    "build_map",
    "date_sentences",
    "explain",
    "extract_events",
    "geoparse",
    "iter_articles",
    "load_articles",
    "normalize_name",
    "process_article",
    "save_map",
    "tag_dates",
]

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from .articles import Article, iter_articles, load_articles
    from .errors import FrontlineError
    from .event_table import EventTable
    from .events import Event
    from .extract import extract_events
    from .gazetteer import Gazetteer, Place, normalize_name
    from .geoparse import Mention, geoparse
    from .mapbuild import build_map, save_map
    from .overrides import Overrides
    from .pipeline import ArticleResult, process_article
    from .review import explain
    from .timex import TimeExpr, date_sentences
    from .timex import tag as tag_dates


class _Package(types.ModuleType):
    """The type of this package's module object, for one name: ``geoparse``.

    The function ``frontline.geoparse`` shares its name with the submodule, and the
    import system binds that name to the submodule when it is first imported. A property
    whose setter ignores that binding keeps the name on the function while importing it
    only on first use (importing geoparse and the gazetteer costs ~60 ms, which a cached
    rerun does not need).
    """

    @property
    def geoparse(self) -> Any:
        from .geoparse import geoparse

        return geoparse

    @geoparse.setter
    def geoparse(self, submodule: Any) -> None:
        pass  # the import system binding the submodule: the name stays on the function


sys.modules[__name__].__class__ = _Package


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'frontline' has no attribute {name!r}")
    value = getattr(
        importlib.import_module(f".{module}", __name__), "tag" if name == "tag_dates" else name
    )
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
