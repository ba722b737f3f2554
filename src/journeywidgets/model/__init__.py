"""The journey map model: entities, the map, its edits, history, store and JSON document.

Everything else in the package (widget, charts, tables, exports) is a view or codec of it.
"""
