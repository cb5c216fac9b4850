"""A team's weeks over git: members publish `people/NAME/YYYY-MM-DD.json` to a shared
repository, a lead syncs and rolls the week up. No Textual here (see tests/cli/test_boundaries.py)."""
