"""Paper understanding computed on the machine itself: keyphrases and one-line summaries.

Everything here is derived from a paper's title and abstract (and, where it helps,
the stored embedding); nothing calls a language-model service or downloads a model.
"""
