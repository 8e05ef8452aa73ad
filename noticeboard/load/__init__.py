"""content/ → ``Content`` and every diagnostic of one file: the front matter reader, the models and
their messages, the records and the rule of what is published, files and link safety, one reader per
kind, rules across records, documents and their facts, Markdown, and the memo and cache of what each
file gave. What loading gives depends on the files only, never on the date."""
