"""Built-in example maps, stored as JSON documents beside this module.

Examples
--------
>>> import journeywidgets as jw
>>> sorted(jw.templates.list_templates())
['employee_onboarding', 'energy_utility', 'it_laptop']
>>> m = jw.templates.load_template("it_laptop")
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from ..document import parse_json
from ..journey import JourneyMap


@cache
def _text(name: str) -> str:
    return resources.files(__name__).joinpath(f"{name}.json").read_text(encoding="utf-8")


def list_templates() -> dict[str, str]:
    """Template names mapped to their titles."""
    names = sorted(
        p.name.removesuffix(".json")
        for p in resources.files(__name__).iterdir()
        if p.name.endswith(".json")
    )
    return {name: str(parse_json(_text(name)).get("title", name)) for name in names}


def load_template(name: str) -> JourneyMap:
    """A fresh copy of the template ``name`` (see :func:`list_templates`)."""
    available = list_templates()
    if name not in available:
        raise KeyError(f"no template {name!r}; available: {', '.join(available)}")
    return JourneyMap.from_dict(parse_json(_text(name), source=f"template {name!r}"))


def energy_utility() -> JourneyMap:
    """An energy utility's customer journey: six stages from *I want electricity* to *I
    leave*, green / pink / orange lanes for actions, emotions and expectations, with Polish
    labels (``stage.label("pl")``)."""
    return load_template("energy_utility")


def it_laptop() -> JourneyMap:
    """An employee asking IT for a new laptop, following the ten-step guide: persona, goals,
    expectations, touchpoints from the first request to follow-up, emotions and
    opportunities."""
    return load_template("it_laptop")


def employee_onboarding() -> JourneyMap:
    """An employee journey from recruitment through onboarding to leaving."""
    return load_template("employee_onboarding")


__all__ = ["employee_onboarding", "energy_utility", "it_laptop", "list_templates", "load_template"]
