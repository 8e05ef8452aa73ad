"""``Content`` + the build date → diagnostics: dates not in the future, the law's deadlines and the
rest of the compliance report, the accessibility of documents. Checks never build pages."""
