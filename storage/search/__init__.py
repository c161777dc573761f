"""Full-text search: one query language, one matching rule, rendered for FTS5 and PostgreSQL.

- :mod:`.tokens`: the matching rule. Text and query words become case- and accent-folded
  tokens, stemmed per the article's language; both stores index and match these tokens.
- :mod:`.language`: the user's query language, parsed once into a tree.
- :mod:`.matching`: a parsed query as token alternatives for the languages searched.
- :mod:`.fts5` and :mod:`.postgres`: that tree rendered for each store, and their search plans.
"""
