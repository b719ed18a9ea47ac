"""Signed tokens for confirm, unsubscribe and feed links, and the secret they are signed with."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from paperwire.config import SettingsError, load_settings
from paperwire.mail.settings import SECRET_FILE, load_mail_settings, stored_secret
from paperwire.mail.tokens import make_token, read_token

SECRET = "k" * 48


def test_a_token_reads_back_only_for_its_purpose_and_secret() -> None:
    token = make_token(SECRET, "unsubscribe", "42")
    assert read_token(SECRET, "unsubscribe", token) == "42"
    assert read_token(SECRET, "confirm", token) is None
    assert read_token("x" * 48, "unsubscribe", token) is None


@pytest.mark.parametrize("bad", ["", ".", "42", "NDI.", "NDI.AAAA", "!!.??", "a.b.c", "x" * 300])
def test_malformed_or_forged_tokens_are_refused(bad: str) -> None:
    assert read_token(SECRET, "unsubscribe", bad) is None


def test_a_changed_subject_breaks_the_signature() -> None:
    token = make_token(SECRET, "feed", "7")
    _, mac = token.split(".")
    forged = f"{make_token(SECRET, 'feed', '8').split('.')[0]}.{mac}"
    assert read_token(SECRET, "feed", forged) is None


def test_unknown_purpose_is_an_error() -> None:
    with pytest.raises(ValueError, match="purpose"):
        make_token(SECRET, "login", "1")


def test_the_secret_is_made_once_private_and_kept(tmp_path: Path) -> None:
    first = stored_secret(tmp_path)
    path = tmp_path / SECRET_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(first) >= 32 and stored_secret(tmp_path) == first


def test_the_environment_overrides_the_stored_secret(isolated_home: Path) -> None:
    env = {"PAPERWIRE_HOME": str(isolated_home), "PAPERWIRE_MAIL_SECRET": SECRET}
    mail = load_mail_settings(load_settings(env), env)
    assert mail.secret == SECRET and not (isolated_home / SECRET_FILE).exists()


def test_a_damaged_secret_file_is_reported(tmp_path: Path) -> None:
    (tmp_path / SECRET_FILE).write_text("short")
    with pytest.raises(SettingsError, match="delete it"):
        stored_secret(tmp_path)


def test_bad_smtp_port_names_the_setting(isolated_home: Path) -> None:
    env = {"PAPERWIRE_HOME": str(isolated_home), "PAPERWIRE_SMTP_PORT": "twenty-five"}
    with pytest.raises(SettingsError, match="PAPERWIRE_SMTP_PORT"):
        load_mail_settings(load_settings(env), env)
