"""Versioned schema migrations for the SQLite store, applied in order on open.

Each entry moves the schema from version N-1 to N; ``PRAGMA user_version``
records where a database stands. Append, never edit, a released migration.
"""

from __future__ import annotations

import sqlite3

__all__ = ["MIGRATIONS", "migrate"]

MIGRATIONS: list[str] = [
    # 1: papers as a JSON record plus the columns that feeds and filters query.
    """
    CREATE TABLE papers (
        id TEXT PRIMARY KEY,
        seq INTEGER NOT NULL,
        record TEXT NOT NULL,
        title TEXT NOT NULL,
        source TEXT NOT NULL,
        published TEXT,
        listed_on TEXT,
        upvotes INTEGER,
        github_stars INTEGER,
        organization TEXT,
        has_code INTEGER NOT NULL DEFAULT 0
    ) WITHOUT ROWID;
    CREATE UNIQUE INDEX papers_by_seq ON papers(seq);
    CREATE INDEX papers_by_listed_on ON papers(listed_on, upvotes);
    CREATE INDEX papers_by_organization ON papers(organization);
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    """,
    # 2: one embedding vector per paper (float32 bytes), the source of truth that
    # vector indexes are rebuilt from; text_hash tells when the text changed.
    """
    CREATE TABLE embeddings (
        paper_id TEXT PRIMARY KEY,
        model TEXT NOT NULL,
        text_hash TEXT NOT NULL,
        seq INTEGER NOT NULL,
        vector BLOB NOT NULL
    ) WITHOUT ROWID;
    """,
    # 3: live ingestion's state: what each sync step last reached (by key), and
    # one checkpoint per bulk harvest, advanced after each page is stored.
    """
    CREATE TABLE sync_state (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated_at TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE harvest_checkpoints (
        harvest TEXT PRIMARY KEY,
        token TEXT,
        pages INTEGER NOT NULL,
        records INTEGER NOT NULL,
        complete INTEGER NOT NULL,
        started_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    ) WITHOUT ROWID;
    """,
    # 4: accounts and votes for the web: users (argon2id hashes), server-side
    # sessions (only a hash of the cookie's token is kept), one vote per user
    # per paper with a per-paper tally, and failed logins for rate limiting.
    # The extra papers index serves the feed sorted by publication date.
    """
    CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        username TEXT NOT NULL UNIQUE COLLATE NOCASE,
        password_hash TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        csrf_token TEXT NOT NULL,
        created_at REAL NOT NULL,
        expires_at REAL NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX sessions_by_user ON sessions(user_id);
    CREATE TABLE votes (
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        paper_id TEXT NOT NULL,
        created_at REAL NOT NULL,
        PRIMARY KEY (user_id, paper_id)
    ) WITHOUT ROWID;
    CREATE TABLE vote_counts (
        paper_id TEXT PRIMARY KEY,
        votes INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE login_failures (key TEXT NOT NULL, at REAL NOT NULL);
    CREATE INDEX login_failures_by_key ON login_failures(key, at);
    CREATE INDEX papers_by_listed_published ON papers(listed_on, published);
    """,
    # 5: a reader's own signals: the library (saved papers, filed in folders),
    # "not interested", follows (author, organisation, keyword, saved search) and
    # papers already seen; the recommender learns from them and hides what they name.
    """
    CREATE TABLE library (
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        paper_id TEXT NOT NULL,
        saved_at REAL NOT NULL,
        PRIMARY KEY (user_id, paper_id)
    ) WITHOUT ROWID;
    CREATE TABLE folders (
        id INTEGER PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        name TEXT NOT NULL COLLATE NOCASE,
        created_at REAL NOT NULL,
        UNIQUE (user_id, name)
    );
    CREATE TABLE folder_papers (
        folder_id INTEGER NOT NULL REFERENCES folders(id) ON DELETE CASCADE,
        paper_id TEXT NOT NULL,
        PRIMARY KEY (folder_id, paper_id)
    ) WITHOUT ROWID;
    CREATE TABLE not_interested (
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        paper_id TEXT NOT NULL,
        at REAL NOT NULL,
        PRIMARY KEY (user_id, paper_id)
    ) WITHOUT ROWID;
    CREATE TABLE follows (
        id INTEGER PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('author', 'organization', 'keyword', 'search')),
        value TEXT NOT NULL COLLATE NOCASE,
        created_at REAL NOT NULL,
        UNIQUE (user_id, kind, value)
    );
    CREATE TABLE seen_papers (
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        paper_id TEXT NOT NULL,
        at REAL NOT NULL,
        PRIMARY KEY (user_id, paper_id)
    ) WITHOUT ROWID;
    """,
    # 6: email digests: subscribers (double opt-in: pending until confirmed), a
    # durable outbox (one row per message, its idempotency key UNIQUE, the whole
    # message kept so a retry sends the same bytes), and every paper each
    # subscriber was sent, so no paper is emailed to anyone twice.
    """
    CREATE TABLE subscribers (
        id INTEGER PRIMARY KEY,
        email TEXT NOT NULL UNIQUE COLLATE NOCASE,
        user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
        frequency TEXT NOT NULL CHECK (frequency IN ('daily', 'weekly')),
        status TEXT NOT NULL CHECK (status IN ('pending', 'active', 'unsubscribed')),
        created_at REAL NOT NULL,
        confirmed_at REAL,
        unsubscribed_at REAL
    );
    CREATE INDEX subscribers_by_user ON subscribers(user_id);
    CREATE TABLE outbox (
        id INTEGER PRIMARY KEY,
        idempotency_key TEXT NOT NULL UNIQUE,
        subscriber_id INTEGER NOT NULL REFERENCES subscribers(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        recipient TEXT NOT NULL,
        message_id TEXT NOT NULL,
        message BLOB NOT NULL,
        status TEXT NOT NULL
            CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'cancelled')),
        attempts INTEGER NOT NULL DEFAULT 0,
        created_at REAL NOT NULL,
        sent_at REAL,
        last_error TEXT
    );
    CREATE INDEX outbox_by_status ON outbox(status, id);
    CREATE TABLE emailed_papers (
        subscriber_id INTEGER NOT NULL REFERENCES subscribers(id) ON DELETE CASCADE,
        paper_id TEXT NOT NULL,
        outbox_id INTEGER NOT NULL REFERENCES outbox(id) ON DELETE CASCADE,
        PRIMARY KEY (subscriber_id, paper_id)
    ) WITHOUT ROWID;
    """,
    # 7: the store's figures (`paperwire stats`) from one covering index: scanning
    # the table itself reads every JSON record (seconds per 100k papers).
    """
    CREATE INDEX papers_figures ON papers(source, organization, upvotes, has_code, listed_on);
    """,
    # 8: every day each paper was listed or featured, one row per (day, paper):
    # Hugging Face features a paper again on later days, and each of those days'
    # feeds shows it. The row repeats the paper's sort keys (written with the paper,
    # in its transaction), so a feed, however long its range, reads this table's
    # key range alone. Filled from the first listing day each paper had so far;
    # the feeds no longer read the two indexes dropped here.
    """
    CREATE TABLE listings (
        day TEXT NOT NULL,
        paper_id TEXT NOT NULL,
        upvotes INTEGER,
        published TEXT,
        github_stars INTEGER,
        PRIMARY KEY (day, paper_id)
    ) WITHOUT ROWID;
    INSERT INTO listings (day, paper_id, upvotes, published, github_stars)
        SELECT listed_on, id, upvotes, published, github_stars FROM papers
        WHERE listed_on IS NOT NULL;
    DROP INDEX papers_by_listed_on;
    DROP INDEX papers_by_listed_published;
    """,
    # 9: papers arXiv deleted (OAI-PMH deleted records) are kept, with the day of the
    # deletion, and left out of feeds, trending and organisations: they have no
    # listings rows, and the organisation index holds only papers that are not
    # deleted (a partial index, used by a query that says `deleted_on IS NULL`).
    # deleted_on is in its key, always NULL, only so that SQLite still counts a
    # range from the index alone (covering).
    """
    ALTER TABLE papers ADD COLUMN deleted_on TEXT;
    DROP INDEX papers_by_organization;
    CREATE INDEX papers_by_organization ON papers(organization, deleted_on)
        WHERE deleted_on IS NULL;
    """,
    # 10: which version of the import rules wrote each paper's text
    # (model.RECORD_RULES); papers stored before are 0, so a repair can say which
    # ones lack what older imports dropped until their source is imported again.
    """
    ALTER TABLE papers ADD COLUMN record_rules INTEGER NOT NULL DEFAULT 0;
    """,
    # 11: the listing days the store holds, per source ('arxiv', 'hf') and category
    # (an arXiv category; '' for Hugging Face's one daily list): what a sync starts
    # from and what the missing-days report reads, a few rows per day whatever the
    # number of papers. Filled from what the store holds (``held_days.held_rows``'s
    # rule): the first day of each paper whose text came from arXiv, in each of its
    # categories, unless Hugging Face listed it too on other days (that first day may
    # be Hugging Face's); every day of each paper Hugging Face listed (its text came
    # from there, or it has upvotes, which only Hugging Face gives). A store cannot
    # tell more exactly which source listed a paper on which day; imports from now
    # on record it from each record.
    """
    CREATE TABLE held_days (
        source TEXT NOT NULL,
        category TEXT NOT NULL,
        day TEXT NOT NULL,
        PRIMARY KEY (source, category, day)
    ) WITHOUT ROWID;
    INSERT INTO held_days (source, category, day)
        SELECT DISTINCT 'arxiv', c.value, p.listed_on FROM papers p,
            json_each(p.record, '$.categories') c
        WHERE p.source IN ('arxiv', 'listing') AND p.listed_on IS NOT NULL
            AND p.deleted_on IS NULL AND c.type = 'text' AND (p.upvotes IS NULL
                OR COALESCE(json_array_length(p.record, '$.listed_days'), 0) <= 1);
    INSERT INTO held_days (source, category, day)
        SELECT DISTINCT 'hf', '', l.day FROM listings l JOIN papers p ON p.id = l.paper_id
        WHERE p.source = 'hf' OR p.upvotes IS NOT NULL;
    """,
    # 12: code activity and linked artifacts. code_repos: what GitHub last said of
    # each linked repository ("owner/name" as linked, lowercased): its stars, the
    # ETag for a conditional request, the name it has now after a rename, the day
    # it answered 404. paper_stars: a short daily history of each paper's stars,
    # for "stars gained this week". paper_artifacts: the Hugging Face models,
    # datasets and Spaces whose cards cite a paper; artifact_checks: when each
    # paper was last asked about.
    """
    CREATE TABLE code_repos (
        repo TEXT PRIMARY KEY,
        current_name TEXT,
        stars INTEGER,
        etag TEXT,
        checked_on TEXT,
        gone_on TEXT,
        problem TEXT
    ) WITHOUT ROWID;
    CREATE TABLE paper_stars (
        paper_id TEXT NOT NULL,
        day TEXT NOT NULL,
        stars INTEGER NOT NULL,
        PRIMARY KEY (paper_id, day)
    ) WITHOUT ROWID;
    CREATE INDEX paper_stars_by_day ON paper_stars(day);
    CREATE TABLE paper_artifacts (
        paper_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        artifact_id TEXT NOT NULL,
        likes INTEGER NOT NULL,
        downloads INTEGER NOT NULL,
        PRIMARY KEY (paper_id, kind, artifact_id)
    ) WITHOUT ROWID;
    CREATE TABLE artifact_checks (
        paper_id TEXT PRIMARY KEY,
        checked_at TEXT NOT NULL
    ) WITHOUT ROWID;
    """,
    # 13: thumbnails of papers' first pages, WebP blobs; a row without an image
    # records why none could be made, so that paper is not fetched again.
    """
    CREATE TABLE thumbnails (
        paper_id TEXT PRIMARY KEY,
        fetched_at TEXT NOT NULL,
        problem TEXT,
        image BLOB,
        width INTEGER,
        height INTEGER,
        digest TEXT,
        size INTEGER NOT NULL DEFAULT 0
    ) WITHOUT ROWID;
    """,
    # 14: public collections. A library folder can be published at
    # /collections/{user}/{slug} with a title and a description; each paper in it
    # can carry a note. A folder made private again keeps these, and shows nowhere.
    """
    ALTER TABLE folders ADD COLUMN slug TEXT;
    ALTER TABLE folders ADD COLUMN title TEXT NOT NULL DEFAULT '';
    ALTER TABLE folders ADD COLUMN description TEXT NOT NULL DEFAULT '';
    ALTER TABLE folders ADD COLUMN public INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE folders ADD COLUMN published_at REAL;
    CREATE UNIQUE INDEX folders_by_slug ON folders(user_id, slug) WHERE slug IS NOT NULL;
    CREATE INDEX folders_public ON folders(user_id, public);
    ALTER TABLE folder_papers ADD COLUMN note TEXT NOT NULL DEFAULT '';
    """,
    # 15: each paper's author names, one row per (name, paper): the author pages read
    # a key range by name, and co-authors by paper. Written with the paper, in its
    # transaction; filled here from the stored records (names are stored as ingest
    # normalised them, so the name is the key).
    """
    CREATE TABLE paper_authors (
        name TEXT NOT NULL,
        paper_id TEXT NOT NULL,
        PRIMARY KEY (name, paper_id)
    ) WITHOUT ROWID;
    CREATE INDEX paper_authors_by_paper ON paper_authors(paper_id, name);
    INSERT OR IGNORE INTO paper_authors (name, paper_id)
        SELECT json_extract(a.value, '$.name'), p.id
        FROM papers p, json_each(p.record, '$.authors') a
        WHERE a.type = 'object' AND json_type(a.value, '$.name') = 'text'
            AND json_extract(a.value, '$.name') <> '';
    """,
    # 16: each paper's one-line summary (paperwire.understanding.summaries): derived data,
    # with the rules that made it and the paper's change seq it was made from.
    """
    CREATE TABLE paper_summaries (
        paper_id TEXT PRIMARY KEY,
        summary TEXT NOT NULL,
        rules INTEGER NOT NULL,
        seq INTEGER NOT NULL
    ) WITHOUT ROWID;
    """,
    # 17: the papers each logged-in reader opened (their page), one row per reader and
    # paper, the first time: papers people look at get a thumbnail.
    """
    CREATE TABLE opened_papers (
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        paper_id TEXT NOT NULL,
        at REAL NOT NULL,
        PRIMARY KEY (user_id, paper_id)
    ) WITHOUT ROWID;
    """,
    # 18: discussion. comments: one row per comment with its current text (empty
    # once deleted: the row stays as a tombstone so replies keep their place),
    # root_id the thread's first comment (its own id for a top-level one) so a
    # page of a long discussion is one ordered range; comment_revisions: every
    # text a comment had, so a report keeps the one it was about. user_roles,
    # bans, comment_reports and moderation_log: moderation. paper_watches,
    # notifications (one per user and comment, whatever the reasons) and
    # notification_settings (mail per kind on or off): notifications.
    """
    CREATE TABLE comments (
        id INTEGER PRIMARY KEY,
        paper_id TEXT NOT NULL,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        parent_id INTEGER REFERENCES comments(id),
        root_id INTEGER NOT NULL,
        body TEXT NOT NULL,
        revision INTEGER NOT NULL DEFAULT 1,
        created_at REAL NOT NULL,
        edited_at REAL,
        deleted_at REAL,
        hidden_at REAL
    );
    CREATE INDEX comments_by_paper ON comments(paper_id, root_id, id);
    CREATE INDEX comments_by_user ON comments(user_id, created_at);
    CREATE INDEX comments_by_time ON comments(created_at);
    CREATE TABLE comment_revisions (
        comment_id INTEGER NOT NULL REFERENCES comments(id) ON DELETE CASCADE,
        revision INTEGER NOT NULL,
        body TEXT NOT NULL,
        created_at REAL NOT NULL,
        PRIMARY KEY (comment_id, revision)
    ) WITHOUT ROWID;
    CREATE TABLE user_roles (
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        role TEXT NOT NULL CHECK (role IN ('admin', 'moderator')),
        granted_at REAL NOT NULL,
        PRIMARY KEY (user_id, role)
    ) WITHOUT ROWID;
    CREATE TABLE bans (
        user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
        banned_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
        reason TEXT NOT NULL,
        banned_at REAL NOT NULL
    );
    CREATE TABLE comment_reports (
        id INTEGER PRIMARY KEY,
        comment_id INTEGER NOT NULL REFERENCES comments(id) ON DELETE CASCADE,
        reporter_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        revision INTEGER NOT NULL,
        reason TEXT NOT NULL,
        created_at REAL NOT NULL,
        resolved_at REAL,
        resolved_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
        UNIQUE (comment_id, reporter_id, revision)
    );
    CREATE INDEX reports_open ON comment_reports(resolved_at, id);
    CREATE TABLE moderation_log (
        id INTEGER PRIMARY KEY,
        moderator_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
        action TEXT NOT NULL,
        comment_id INTEGER,
        target_user_id INTEGER,
        detail TEXT NOT NULL,
        at REAL NOT NULL
    );
    CREATE TABLE paper_watches (
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        paper_id TEXT NOT NULL,
        created_at REAL NOT NULL,
        PRIMARY KEY (user_id, paper_id)
    ) WITHOUT ROWID;
    CREATE INDEX watches_by_paper ON paper_watches(paper_id);
    CREATE TABLE notifications (
        id INTEGER PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('reply', 'mention', 'watch')),
        comment_id INTEGER NOT NULL REFERENCES comments(id) ON DELETE CASCADE,
        created_at REAL NOT NULL,
        read_at REAL,
        mailed_at REAL,
        outbox_key TEXT,
        UNIQUE (user_id, comment_id)
    );
    CREATE INDEX notifications_by_user ON notifications(user_id, id);
    CREATE INDEX notifications_to_mail ON notifications(mailed_at, user_id);
    CREATE TABLE notification_settings (
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('reply', 'mention', 'watch')),
        email INTEGER NOT NULL,
        PRIMARY KEY (user_id, kind)
    ) WITHOUT ROWID;
    """,
    # 19: each paper's keyphrases, ours ('paperwire', computed from the title and
    # abstract) and Hugging Face's ('huggingface', their ai_keywords), in rank
    # order, with the normalised key that links, filters and follows use; and
    # follows of a topic (a keyphrase's key).
    """
    CREATE TABLE paper_keyphrases (
        paper_id TEXT NOT NULL,
        source TEXT NOT NULL CHECK (source IN ('paperwire', 'huggingface')),
        rank INTEGER NOT NULL,
        key TEXT NOT NULL,
        phrase TEXT NOT NULL,
        PRIMARY KEY (paper_id, source, rank)
    ) WITHOUT ROWID;
    CREATE INDEX paper_keyphrases_by_key ON paper_keyphrases(key, paper_id);
    CREATE TABLE follows_next (
        id INTEGER PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        kind TEXT NOT NULL
            CHECK (kind IN ('author', 'organization', 'keyword', 'search', 'topic')),
        value TEXT NOT NULL COLLATE NOCASE,
        created_at REAL NOT NULL,
        UNIQUE (user_id, kind, value)
    );
    INSERT INTO follows_next (id, user_id, kind, value, created_at)
        SELECT id, user_id, kind, value, created_at FROM follows;
    DROP TABLE follows;
    ALTER TABLE follows_next RENAME TO follows;
    """,
]


def migrate(conn: sqlite3.Connection) -> int:
    """Bring the schema up to date; return the schema version.

    Each step runs in its own IMMEDIATE transaction and re-reads the version
    inside it, so two processes opening a new database at once both succeed.
    """
    target = len(MIGRATIONS)
    while (current := _schema_version(conn)) < target:
        conn.execute("BEGIN IMMEDIATE")
        try:
            if _schema_version(conn) == current:
                for statement in MIGRATIONS[current].split(";"):
                    if statement.strip():
                        conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {current + 1}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    if current > target:
        raise RuntimeError(
            f"this database has schema version {current}, newer than this paperwire "
            f"({target}): upgrade paperwire before opening it"
        )
    return target


def _schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])
