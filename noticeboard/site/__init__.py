"""``Content`` + the build date → ``Site``: the page objects that rendering reads, the indexes parents
use to find notices (the ways in), and what each further language shows untranslated. Pure."""
