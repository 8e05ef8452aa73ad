"""``serve``: the site kept in memory and rendered on request, patched in place when only text
changed, rebuilt on each burst of saves, served with its own reload endpoint."""
