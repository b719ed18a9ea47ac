"""Every query mixin in one class, so that both backends run the same list of queries."""

from __future__ import annotations

from paperwire.store.accounts import AccountsMixin
from paperwire.store.authors import AuthorsMixin
from paperwire.store.code_activity import CodeActivityMixin
from paperwire.store.collections import CollectionsMixin
from paperwire.store.discussion import DiscussionMixin
from paperwire.store.feeds import FeedQueriesMixin
from paperwire.store.held_days import HeldDaysMixin
from paperwire.store.keyphrases import KeyphrasesMixin
from paperwire.store.mail import MailMixin
from paperwire.store.notifications import NotificationsMixin
from paperwire.store.papers import PapersMixin
from paperwire.store.personal import PersonalMixin
from paperwire.store.summaries import SummariesMixin
from paperwire.store.sync_state import SyncStateMixin
from paperwire.store.thumbnails import ThumbnailsMixin
from paperwire.store.versions import VersionsMixin

__all__ = ["StoreQueries"]


class StoreQueries(
    PapersMixin,
    SyncStateMixin,
    HeldDaysMixin,
    FeedQueriesMixin,
    AccountsMixin,
    PersonalMixin,
    MailMixin,
    CodeActivityMixin,
    ThumbnailsMixin,
    CollectionsMixin,
    AuthorsMixin,
    SummariesMixin,
    DiscussionMixin,
    NotificationsMixin,
    KeyphrasesMixin,
    VersionsMixin,
):
    """The queries of a ``PaperStore``, written once in SQL both backends run; a backend
    subclasses it and adds only its connections and migrations (``SqlBackend``'s hooks)."""
