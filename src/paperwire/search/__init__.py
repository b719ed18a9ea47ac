"""Search: BM25 (tantivy) and dense (embeddings, HNSW) retrieval, fused, behind one engine.

Start at ``engine.SearchEngine``. The query language is in ``query``, fusion in
``fusion``, how indexes follow the store in ``indexer``, their files in
``layout``. Embedding backends live in ``embedding`` and ``minilm``.
"""
