"""Turning records into HTML, XML and JSON for the routes; nothing here defines a route.

``templates`` holds the Jinja2 environment and ``render``; ``cards`` the
``PaperCard`` every paper list shows; ``text`` safe HTML from stored text;
``syndication`` RSS and Atom documents; ``bibtex`` and ``hf_shape`` a paper's
BibTeX and Hugging Face JSON; ``page_helpers`` what every page route shares
(paging, cards with the user's votes, the page cache); ``trending_lists`` the
trending lists computed once for page, API and feeds; ``periods`` the day,
week and month spans a feed can show.
"""
