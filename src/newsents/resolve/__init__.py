"""Resolution: from what the model said to clean, typed, keyed mentions.

Per article: `spans` turns the model's output into mention spans (with dates, bylines,
datelines and, in team-sport reports, the sports module's players and sides); `article` runs the
article's passes over them. Across the corpus, `graph` joins what the articles resolved.
"""

from newsents.resolve.spans import analyse_article

__all__ = ["analyse_article"]
