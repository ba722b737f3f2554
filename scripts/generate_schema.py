"""Regenerate src/journeywidgets/schema/journeymap.schema.json from the model.

Run after changing an entity: ``.venv/bin/python scripts/generate_schema.py``.
tests/test_document.py fails while the packaged file and the model disagree.
"""

import json
from pathlib import Path

from journeywidgets import atomic
from journeywidgets.model.document import generate_schema

target = Path(__file__).parent.parent / "src/journeywidgets/schema/journeymap.schema.json"
atomic.write_text(target, json.dumps(generate_schema(), indent=2, ensure_ascii=False) + "\n")
print(f"wrote {target.relative_to(Path.cwd()) if target.is_relative_to(Path.cwd()) else target}")
