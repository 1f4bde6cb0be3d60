"""Fuzzing the two readers of outside files (issue 10, item 4): the sync bundle reader with the county's import
path, and the Excel staff-roster importer. ``scripts/fuzz.py`` runs thousands of inputs; the tests a few hundred."""
