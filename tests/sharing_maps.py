"""Small maps the sharing tests (export, Mermaid, notebooks, CLI) build with the public API."""

from __future__ import annotations

import journeywidgets as jw

#: Markup and script in every shape that has broken exporters: tags, attributes, CDATA ends,
#: a script end tag, entities, and quotes.
PAYLOADS = (
    "<script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=1">',
    "]]></text><script>window.__pwned=1</script>",
    "</script><script>window.__pwned=1</script>",
    "<svg onload=window.__pwned=1>",
    "&lt;b&gt; & \"quotes\" 'single'",
    "--><script>window.__pwned=1</script><!--",
)


def small_map() -> jw.JourneyMap:
    """Two stages, three touchpoints, three lanes and a few cards, with Polish labels."""
    m = jw.JourneyMap(
        "Buying electricity",
        description="How a household gets connected.",
        scale=(-2, 2),
        id="energy_small",
    )
    m.add_persona("Anna Kowalska", role="Household customer", goals=("Power on time",))
    m.add_stage("I want electricity", labels={"pl": "Chcę mieć prąd"})
    m.add_stage("I use and pay", labels={"pl": "Używam i płacę"})
    m.add_lane("Actions", kind="actions")
    m.add_lane("Emotions", kind="emotions")
    m.add_lane("Expectations", kind="expectations")
    m.add_touchpoint("Website", stage="i_want_electricity", emotion=1, channel="web", id="website")
    m.add_touchpoint(
        "Call centre",
        stage="i_want_electricity",
        emotion=-2,
        channel="phone",
        moment_of_truth=True,
        id="call",
    )
    m.add_touchpoint("Invoice arrives", stage="i_use_and_pay", emotion=0, id="invoice")
    m.add_card("Compares tariffs", touchpoint="website", lane="actions", id="c_compare")
    m.add_card("Waits 15 minutes on hold", touchpoint="call", lane="actions", id="c_wait")
    m.add_card("Irritated", touchpoint="call", lane="emotions", id="c_irritated")
    m.add_card(
        "A clear bill",
        touchpoint="invoice",
        lane="expectations",
        id="c_bill",
        impact=5,
        effort=1,
    )
    return m


def payload_map() -> jw.JourneyMap:
    """A map whose every text field holds markup or script (one payload per field)."""
    p = iter(PAYLOADS * 20)
    m = jw.JourneyMap(next(p), description=next(p), scenario=next(p), id="payload", scale=(-3, 3))
    m.add_persona(next(p), role=next(p), id="persona", quote=next(p), goals=(next(p),))
    m.add_stage(next(p), id="s1", description=next(p))
    m.add_stage(next(p), id="s2")
    m.add_lane(next(p), kind="actions", id="l1", description=next(p))
    m.add_lane(next(p), kind="custom", id="l2")
    m.add_touchpoint(
        next(p),
        stage="s1",
        id="t1",
        emotion=2,
        channel=next(p),
        owner=next(p),
        description=next(p),
        moment_of_truth=True,
    )
    m.add_touchpoint(next(p), stage="s2", id="t2", emotion=-1, channel=next(p))
    for i, text in enumerate(PAYLOADS):
        m.add_card(
            text,
            touchpoint="t1" if i % 2 else "t2",
            lane="l1" if i % 3 else "l2",
            id=f"c{i}",
            tags=(next(p),),
            owner=next(p),
        )
    return m
