"""manage.py backup / restore: the database and the private and media files come
back as they were; an archive that does not match its manifest changes nothing."""

import io
import json
import tarfile
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection

# Real transactions: pg_dump and SQLite's backup API see committed data only.
# serialized_rollback puts back the migrated rows that the final flush removes.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

FILES = {
    "private": {"kit/1.10/kit-silla.zip": b"PK\x03\x04 kit bytes" * 1000},
    "community": {"2026/03/verbale.pdf": b"%PDF-1.7 attachment"},
    "media": {
        "images/logo.width-400.png": b"\x89PNG rendition",
        "documents/bando.pdf": b"%PDF-1.4 document",
    },
}


@pytest.fixture
def roots(settings, tmp_path):
    """Private, community (nested in private, as by default) and media roots."""
    live = tmp_path / "live"
    paths = {
        "private": live / "private",
        "community": live / "private" / "community",
        "media": live / "media",
    }
    settings.KIT_PRIVATE_ROOT = str(paths["private"])
    settings.COMMUNITY_ATTACHMENT_ROOT = str(paths["community"])
    settings.MEDIA_ROOT = str(paths["media"])
    settings.VAR_DIR = tmp_path / "var"
    for label, files in FILES.items():
        for name, content in files.items():
            path = paths[label] / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
    return paths


def _backup(tmp_path: Path) -> Path:
    out = io.StringIO()
    call_command("backup", output_dir=tmp_path / "backups", stdout=out)
    archive = Path(out.getvalue().strip())
    assert archive.parent == tmp_path / "backups"
    assert archive.name.startswith("esplora-backup-")
    return archive


def _round_trip(make_user, roots, tmp_path) -> Path:
    user_model = get_user_model()
    make_user(email="kept@example.org")
    archive = _backup(tmp_path)

    # Disaster: the row and the files are gone, and a stray file appeared.
    user_model.objects.filter(email="kept@example.org").delete()
    make_user(email="after-the-backup@example.org")
    for path in roots.values():
        for file in path.rglob("*"):
            if file.is_file():
                file.unlink()
    (roots["media"] / "stray.txt").write_text("not in the backup")

    out = io.StringIO()
    call_command("restore", str(archive), yes=True, stdout=out)
    assert "Restored" in out.getvalue()

    emails = set(user_model.objects.values_list("email", flat=True))
    assert "kept@example.org" in emails
    assert "after-the-backup@example.org" not in emails
    for label, files in FILES.items():
        for name, content in files.items():
            assert (roots[label] / name).read_bytes() == content
    assert not (roots["media"] / "stray.txt").exists()
    return archive


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite round trip (default settings)"
)
def test_round_trip_on_sqlite(make_user, roots, tmp_path):
    archive = _round_trip(make_user, roots, tmp_path)
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["database"] == {"engine": "sqlite", "member": "database.sqlite3"}
    assert "database.sqlite3" in names
    # The community folder is kept once, under its own label.
    assert "files/community/2026/03/verbale.pdf" in names
    assert not any(name.startswith("files/private/community") for name in names)
    assert archive.stat().st_mode & 0o077 == 0


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL round trip: set DATABASE_URL to a PostgreSQL database",
)
def test_round_trip_on_postgresql(make_user, roots, tmp_path):
    archive = _round_trip(make_user, roots, tmp_path)
    with tarfile.open(archive) as tar:
        dump = tar.extractfile("database.dump").read()
    assert dump.startswith(b"PGDMP")  # pg_dump's custom format


def _rewrite(archive: Path, target: Path, change) -> None:
    """Copy ``archive`` to ``target`` with ``change(name, bytes)`` applied."""
    with tarfile.open(archive) as source, tarfile.open(target, "w:gz") as out:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            data = change(member.name, data)
            if data is None:
                continue
            member.size = len(data)
            out.addfile(member, io.BytesIO(data))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda name, data: data + b"!" if name.endswith("kit-silla.zip") else data,
            "differs from the SHA-256",
        ),
        (
            lambda name, data: None if name.endswith("verbale.pdf") else data,
            "does not match its manifest",
        ),
        (
            lambda name, data: None if name == "manifest.json" else data,
            "has no valid manifest.json",
        ),
    ],
    ids=["altered", "missing", "no-manifest"],
)
def test_an_archive_that_does_not_match_is_refused_and_nothing_changes(
    make_user, roots, tmp_path, change, message
):
    archive = _backup(tmp_path)
    tampered = tmp_path / "tampered.tar.gz"
    _rewrite(archive, tampered, change)
    make_user(email="after-the-backup@example.org")
    (roots["media"] / "new.txt").write_text("added later")

    with pytest.raises(CommandError, match=message):
        call_command("restore", str(tampered), yes=True)

    assert get_user_model().objects.filter(email="after-the-backup@example.org")
    assert (roots["media"] / "new.txt").exists()


def test_an_archive_with_an_escaping_path_is_refused(make_user, roots, tmp_path):
    evil = tmp_path / "evil.tar.gz"
    with tarfile.open(evil, "w:gz") as tar:
        data = b"owned"
        member = tarfile.TarInfo("../../outside.txt")
        member.size = len(data)
        tar.addfile(member, io.BytesIO(data))
    with pytest.raises(CommandError, match="not a plain file of a backup"):
        call_command("restore", str(evil), yes=True)
    assert not (tmp_path.parent / "outside.txt").exists()


def test_restore_asks_for_confirmation(roots, tmp_path):
    archive = _backup(tmp_path)
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(archive))
    with pytest.raises(CommandError, match="does not exist"):
        call_command("restore", str(tmp_path / "nothing.tar.gz"), yes=True)


def test_keep_deletes_the_oldest_backups(roots, tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    for stamp in ("20260101T000000Z", "20260102T000000Z", "20260103T000000Z"):
        (folder / f"esplora-backup-{stamp}.tar.gz").write_bytes(b"old")
    call_command("backup", output_dir=folder, keep=2, stdout=io.StringIO())
    left = sorted(path.name for path in folder.glob("esplora-backup-*"))
    assert len(left) == 2
    assert left[0] == "esplora-backup-20260103T000000Z.tar.gz"
