"""Built-in example maps, stored as JSON documents beside this module.

Each template is an ordinary saved map (``<name>.json``, the format :meth:`JourneyMap.save`
writes), so it can be read, edited and saved like any other; every call returns a fresh,
independent copy.

- ``energy_utility``: an electricity supplier's six-stage customer journey ("baskets") from a
  workshop map, with Polish labels and green / pink / orange sticky-note lanes.
- ``it_laptop``: an employee asking IT for a new laptop, following a ten-step mapping guide.
- ``employee_onboarding``: an employee journey from recruitment to leaving, with service
  blueprint lanes (frontstage, backstage, support).

Examples
--------
>>> import journeywidgets as jw
>>> sorted(jw.templates.list_templates())
['employee_onboarding', 'energy_utility', 'it_laptop']
>>> m = jw.templates.load_template("it_laptop")
>>> m.kind, m.persona.name
('employee', 'Eszter Kovács')
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from ..model.document import parse_json
from ..model.journey import JourneyMap


@cache
def _text(name: str) -> str:
    return resources.files(__name__).joinpath(f"{name}.json").read_text(encoding="utf-8")


def list_templates() -> dict[str, str]:
    """Template names mapped to their titles.

    Examples
    --------
    >>> import journeywidgets as jw
    >>> jw.templates.list_templates()["it_laptop"]
    'Requesting a new laptop from IT'
    """
    names = sorted(
        p.name.removesuffix(".json")
        for p in resources.files(__name__).iterdir()
        if p.name.endswith(".json")
    )
    return {name: str(parse_json(_text(name)).get("title", name)) for name in names}


def load_template(name: str) -> JourneyMap:
    """A fresh copy of the template ``name`` (see :func:`list_templates`).

    Raises :class:`KeyError` naming the available templates when there is no such template.

    Examples
    --------
    >>> import journeywidgets as jw
    >>> m = jw.templates.load_template("energy_utility")
    >>> m.add_stage("I come back").id
    'i_come_back'
    >>> len(jw.templates.load_template("energy_utility").stages)  # a fresh copy each time
    6
    """
    available = list_templates()
    if name not in available:
        raise KeyError(f"no template {name!r}; available: {', '.join(available)}")
    return JourneyMap.from_dict(parse_json(_text(name), source=f"template {name!r}"))


def energy_utility() -> JourneyMap:
    """An energy utility's customer journey: six stages from *I want electricity* to *I
    leave*, green / pink / orange lanes for actions, emotions and expectations, with Polish
    labels (``stage.label("pl")``).

    Built after a utility's workshop map: a household persona, 3-5 touchpoints per stage with
    an emotion on the -3..3 scale and moments of truth, plus pain-point and opportunity lanes
    (opportunities carry impact and effort, so quick wins stand out).

    Examples
    --------
    >>> import journeywidgets as jw
    >>> m = jw.templates.energy_utility()
    >>> [s.id for s in m.stages][:3]
    ['i_want_electricity', 'i_decide_and_buy', 'i_use_and_pay']
    >>> [lane.label("pl") for lane in m.lanes][:3]
    ['Co klient robi', 'Co klient czuje', 'Czego klient oczekuje']
    >>> m["invoice_arrives"].moment_of_truth
    True
    """
    return load_template("energy_utility")


def it_laptop() -> JourneyMap:
    """An employee asking IT for a new laptop, following the ten-step guide: persona, goals,
    expectations, touchpoints from the first request to follow-up, emotions and
    opportunities.

    The traveller is an employee who is IT's (internal) customer, so the map's ``kind`` is
    ``"employee"``; ``metadata["ten_steps"]`` says where each step of the guide shows in it.

    Examples
    --------
    >>> import journeywidgets as jw
    >>> m = jw.templates.it_laptop()
    >>> [s.name for s in m.stages]
    ['Request', 'Approval', 'Ordering and waiting', 'Delivery and setup', 'First use', 'Follow-up']
    >>> min(m.touchpoints, key=lambda t: t.emotion).stage
    'approval'
    """
    return load_template("it_laptop")


def employee_onboarding() -> JourneyMap:
    """An employee journey from recruitment through onboarding to leaving.

    Besides what the employee does, thinks and feels it has service blueprint lanes:
    frontstage, backstage and support.

    Examples
    --------
    >>> import journeywidgets as jw
    >>> m = jw.templates.employee_onboarding()
    >>> m.kind, m.stages[0].name, m.stages[-1].name
    ('employee', 'Recruitment', 'Leaving')
    >>> [lane.kind for lane in m.lanes if lane.kind in {"frontstage", "backstage", "support"}]
    ['frontstage', 'backstage', 'support']
    """
    return load_template("employee_onboarding")


__all__ = ["employee_onboarding", "energy_utility", "it_laptop", "list_templates", "load_template"]
