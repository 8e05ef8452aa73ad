"""The commands beside the build: ``announce`` (the e-mail of what was posted), ``new`` (a record
from a template) and ``schema`` (the JSON Schemas for editors)."""
