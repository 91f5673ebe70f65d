"""A restore drill: the backup and restore commands of docs/deploy.md, run as written.

The commands are read out of the document's "## Backups" section and run through bash, so a
wrong option, database name or pipe in the document fails this test. `Drill.adapt` changes
only what must differ from a server:

- `sudo -u postgres` (the server's administrator, over the local socket) becomes the test's
  own connection, given as PGHOST, PGPORT, PGUSER and PGPASSWORD, with the `postgres`
  database as its default; the test skips unless that user is a superuser, as `postgres` is.
  The crontab line's time fields and user go too;
- the `digital_maturity` role, which owns the live database, is a role the test creates (with
  no more rights than `createuser` gives) and drops;
- `digital_maturity_restored` and `digital_maturity_before_restore` become uniquely named
  copies, and `digital_maturity` the database the step treats as live: the test database for
  the dumps, a copy for the swap of a restored database into its place (never the test
  database itself);
- the backup folder, and the example dump's name, become the test's own.

The swap runs the commands of the block that stops the service, whatever they are, against a
live database that has a table the dump does not (as a newer migration adds), which refers to
a table of the dump: a restore over the live database (`pg_restore --clean`) cannot drop that
table, and fails here.

The test database belongs to the test's user, not to an application role as production's
does, so the plain-SQL round trip starts from the first restored copy, which is laid out as
production's database is, and runs as the role, as `$DATABASE_URL` would.

Runs only on PostgreSQL; CI runs the suite there too.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path

import psycopg
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.db.models import Model
from psycopg import sql

from assessment.models import (
    Answer,
    AnswerChange,
    Assessment,
    AssessmentEvent,
    Organisation,
    ReportDocument,
    Snapshot,
)
from assessment.workflow import AnswerInput, reopen_assessment, save_answers, submit_assessment
from tests.reports import database_url
from trends.models import Edition

pytestmark = pytest.mark.django_db(transaction=True)

DEPLOY = Path(__file__).resolve().parents[2] / "docs" / "deploy.md"
CLIENTS = ("pg_dump", "pg_restore", "createdb", "dropdb", "psql")
EXAMPLE_DUMP = "digital_maturity-2025-01-31.dump"  # the dump the restore commands name
# The document's names: an owner role, or a database (never a dump file, digital_maturity-…).
NAMES = re.compile(r"(--owner |--role=)?\bdigital_maturity(_restored|_before_restore)?\b(?![-.])")
# A table of a release newer than the dump, referring to a table of the dump.
NEWER_TABLE = "assessment_fromanewerrelease"
# What must come back, and must not be empty, for the drill to prove anything.
KEPT: list[type[Model]] = [
    Organisation,
    get_user_model(),
    Assessment,
    Answer,
    AnswerChange,
    AssessmentEvent,
    Snapshot,
]


def documented_commands(*, block_with: str = "") -> list[str]:
    """The PostgreSQL commands of deploy.md's Backups section, each on one line: the lines of
    its shell blocks (continuations joined) and its inline code that runs a client. With
    `block_with`, only those of the one shell block that has that text, in order."""
    section = DEPLOY.read_text().split("\n## Backups\n", 1)[1].split("\n## ", 1)[0]
    blocks = [
        block.replace("\\\n", " ").splitlines()
        for block in re.findall(r"^```sh\n(.*?)^```", section, flags=re.MULTILINE | re.DOTALL)
    ]
    if block_with:
        found = [block for block in blocks if any(block_with in line for line in block)]
        assert len(found) == 1, f"deploy.md's Backups has no one shell block with {block_with}"
        lines = found[0]
    else:
        prose = re.sub(r"^```.*?^```", "", section, flags=re.MULTILINE | re.DOTALL)
        lines = [line for block in blocks for line in block] + re.findall(r"`([^`\n]+)`", prose)
    return [
        " ".join(command.split())
        for command in lines
        if re.search(rf"\b({'|'.join(CLIENTS)})\b", command)
    ]


@dataclass
class Drill:
    """The documented commands, run against this test's server as a server would run them."""

    folder: Path
    role: str
    password: str = field(default_factory=lambda: secrets.token_hex(16))
    commands: list[str] = field(default_factory=documented_commands)
    used: set[str] = field(default_factory=set)
    databases: list[str] = field(default_factory=list)  # to drop afterwards

    def database(self, name: str) -> str:
        """A database name of the drill's own: dropped afterwards, under whatever name the
        drill ends with it, however it ends."""
        database = f"{connection.settings_dict['NAME']}_{name}_{os.getpid()}"
        self.databases.append(database)
        return database

    def command(self, *words: str) -> str:
        """The one documented command not run yet with all these words in it: words that say
        what it is for, not the options under test, so that a wrong option is run and fails."""
        found = [c for c in self.commands if c not in self.used and all(w in c for w in words)]
        assert len(found) == 1, f"deploy.md's Backups has no one command with {words}: {found}"
        self.used.add(found[0])
        return found[0]

    def adapt(
        self,
        command: str,
        *,
        live: str | None = None,
        restored: str | None = None,
        kept: str | None = None,
        dump: Path | None = None,
    ) -> str:
        command = command.removeprefix("sudo -u postgres ")
        if cron := re.match(r"(\S+ ){5}postgres ", command):
            # A crontab line: five time fields and the user, then the command, which cron ends
            # at the first % (the rest is its input) and in which it turns each \% into %.
            command = re.split(r"(?<!\\)%", command[cron.end() :])[0].replace("\\%", "%")

        def rename(name: re.Match) -> str:
            option, copy = name.groups()
            if option:
                return option + self.role
            database = {None: live, "_restored": restored, "_before_restore": kept}[copy]
            assert database, f"deploy.md names {name[0]} where the drill expects no such database"
            return database

        command = NAMES.sub(rename, command)
        command = command.replace("/var/backups/digital-maturity", str(self.folder / "backups"))
        return command.replace(EXAMPLE_DUMP, str(dump)) if dump else command

    def shell(
        self,
        command: str,
        *,
        live: str | None = None,
        restored: str | None = None,
        kept: str | None = None,
        dump: Path | None = None,
        database_url: str = "",
        check: bool = True,
    ) -> subprocess.CompletedProcess:
        """Run one documented command, adapted, as the server's administrator."""
        params = connection.settings_dict
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        env.pop("DATABASE_URL", None)
        env |= {
            "PGHOST": params["HOST"] or "127.0.0.1",
            "PGPORT": str(params["PORT"] or 5432),
            "PGUSER": params["USER"],
            "PGPASSWORD": params["PASSWORD"] or "",
            "PGDATABASE": "postgres",  # where `sudo -u postgres psql` connects without a name
        }
        if database_url:
            env["DATABASE_URL"] = database_url
        line = self.adapt(command, live=live, restored=restored, kept=kept, dump=dump)
        # pipefail: when pg_dump fails in a pipe into gzip, say so here, not later as lost rows.
        done = subprocess.run(
            ["bash", "-o", "pipefail", "-c", line],
            cwd=self.folder,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        if check:
            assert done.returncode == 0, f"{line}\n{done.stderr}"
        return done

    def role_url(self, database: str) -> str:
        """The database as the application reaches it, as its owner role: a DATABASE_URL."""
        params = connection.settings_dict
        host, port = params["HOST"] or "127.0.0.1", params["PORT"] or 5432
        return f"postgres://{self.role}:{self.password}@{host}:{port}/{database}"


def administer(database: str = "") -> psycopg.Connection:
    """A connection as the test's user (the superuser), to the test database or another."""
    params = connection.get_connection_params()
    return psycopg.connect(**params | ({"dbname": database} if database else {}), autocommit=True)


def contents(database: str) -> dict[str, list[tuple]]:
    """Every table's rows in primary-key order, and where each sequence is (so that rows added
    after a restore do not reuse ids)."""
    with connection.cursor() as cursor:
        keys = {
            table: connection.introspection.get_primary_key_column(cursor, table)
            for table in connection.introspection.table_names(cursor)
        }
    query = sql.SQL("SELECT * FROM {} ORDER BY {}")
    rows = {}
    with administer(database) as db:
        for table, key in keys.items():
            assert key, f"{table} has no primary key to order its rows by"
            ordered = query.format(sql.Identifier(table), sql.Identifier(key))
            rows[table] = db.execute(ordered).fetchall()
        rows["(sequences)"] = db.execute(
            "SELECT sequencename, last_value FROM pg_sequences ORDER BY sequencename"
        ).fetchall()
    return rows


def differing(expected: dict[str, list[tuple]], database: str) -> list[str]:
    found = contents(database)
    return sorted(t for t in expected.keys() | found.keys() if expected.get(t) != found.get(t))


def tables(database: str) -> set[str]:
    with administer(database) as db:
        found = db.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        return {table for (table,) in found}


def exists(database: str) -> bool:
    with administer() as db:
        found = db.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database])
        return found.fetchone() is not None


def owners(database: str) -> set[str]:
    with administer(database) as db:
        found = db.execute(
            "SELECT tableowner FROM pg_tables WHERE schemaname = 'public'"
            " UNION SELECT sequenceowner FROM pg_sequences WHERE schemaname = 'public'"
        ).fetchall()
    return {owner for (owner,) in found}


@pytest.fixture
def drill(transactional_db, tmp_path) -> Iterator[Drill]:
    """The drill's role and folder; the databases it made and the role are dropped after."""
    if connection.vendor != "postgresql":
        pytest.skip(
            "a drill of PostgreSQL's pg_dump and pg_restore: set DATABASE_URL to a "
            "PostgreSQL database to run it (CI does)."
        )
    missing = [c for c in (*CLIENTS, "gzip") if shutil.which(c) is None]
    if missing:
        pytest.skip(f"the PostgreSQL client programs are not installed ({', '.join(missing)}).")
    with administer() as db:
        superuser, server = db.execute(
            "SELECT rolsuper, current_setting('server_version_num')::int / 10000"
            " FROM pg_roles WHERE rolname = current_user"
        ).fetchone()  # type: ignore[misc]
    if not superuser:
        pytest.skip("the documented commands run as the postgres superuser: run the tests as one.")
    version = subprocess.run(["pg_dump", "--version"], capture_output=True, text=True).stdout
    client = int(re.search(r"(\d+)\.", version)[1])  # type: ignore[index]
    if client < server:
        pytest.skip(f"pg_dump {client} refuses to dump a newer server (PostgreSQL {server}).")

    (tmp_path / "backups").mkdir()
    drill = Drill(tmp_path, role=f"{connection.settings_dict['NAME']}_owner_{os.getpid()}")
    with administer() as db:
        # As `createuser --pwprompt digital_maturity` makes it: no superuser, no createdb.
        db.execute(
            sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(
                sql.Identifier(drill.role), sql.Literal(drill.password)
            )
        )
    yield drill
    with administer() as db:
        for database in drill.databases:
            db.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database))
            )
        db.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(drill.role)))


def populate(settings) -> None:
    """The demo's councils and peers (answers with their history, submitted assessments with
    their snapshots, events, queued tasks), then Northshire's 2024 assessment reopened, one
    answer changed and submitted again: a second version of an answer and a second snapshot."""
    settings.DEBUG = True  # seed_demo refuses to run without it
    call_command("seed_demo", organisations=2, editions=2, stdout=StringIO())
    User = get_user_model()
    lead, officer = (User.objects.get(username=f"northshire-{r}") for r in ("lead", "officer"))
    assessment = Assessment.objects.get(
        organisation__slug="northshire", edition__slug="digital-trends-2024"
    )
    reopen_assessment(assessment=assessment, user=lead, reason="The cyber answers were old.")
    answer = assessment.answers.select_related("question").get(question__key="cyber-01")
    changed = AnswerInput(answer.question, "4", "", "Penetration test passed.", answer.version)
    save_answers(assessment=assessment, inputs=[changed], user=officer)
    submit_assessment(assessment=assessment, user=lead)


def test_a_dump_restored_with_the_documented_commands_has_every_row(content, settings, drill):
    populate(settings)
    source = connection.settings_dict["NAME"]
    before = contents(source)
    for model in KEPT:
        assert before[model._meta.db_table], f"nothing in {model._meta.db_table} to restore"
    assert AnswerChange.objects.filter(version=2).exists()
    assert Snapshot.objects.filter(assessment__organisation__slug="northshire").count() == 3
    restored, plain, crowded, nightly_copy, kept = map(
        drill.database, ("restored", "plain", "crowded", "nightly", "kept")
    )

    # The nightly dump, which also deletes dumps older than 30 days.
    expired = drill.folder / "backups" / "2020-01-01.dump"
    expired.touch()
    os.utime(expired, (time.time() - 40 * 86400,) * 2)
    drill.shell(drill.command("pg_dump", "find"), live=source)
    assert not expired.exists(), "the nightly job kept a dump older than 30 days"
    (nightly,) = (drill.folder / "backups").glob("*.dump")

    # A dump by hand, restored into a new database and checked before touching the live one.
    by_hand = drill.command("pg_dump", ".dump", "$DATABASE_URL")
    drill.shell(by_hand, database_url=database_url(source))
    (dump,) = drill.folder.glob("digital_maturity-*.dump")
    create = drill.command("createdb")
    drill.shell(create, restored=restored)
    restore = drill.command("pg_restore", "digital_maturity_restored")
    drill.shell(restore, restored=restored, dump=dump)
    count = drill.command("psql", "count(*)")
    counted = drill.shell(count, restored=restored).stdout
    assert counted.split()[2] == str(Assessment.objects.count())
    assert not differing(before, restored)
    assert owners(restored) == {drill.role}  # so the service can use it, and migrate it

    # A plain SQL dump of that copy, as the service's role, restored into an empty database.
    drill.shell(drill.command("pg_dump", "backup.sql.gz"), database_url=drill.role_url(restored))
    drill.shell(create, restored=plain)
    psql_restore = drill.command("psql", "backup.sql.gz")
    drill.shell(psql_restore, database_url=drill.role_url(plain))
    assert not differing(before, plain)
    assert owners(plain) == {drill.role}
    # Into a database that is not empty (here it has the last table the dump makes, as the
    # live database has every table) it stops at the first error and changes nothing.
    drill.shell(create, restored=crowded)
    last = max(before.keys() - {"(sequences)"})
    with psycopg.connect(drill.role_url(crowded), autocommit=True) as db:
        db.execute(sql.SQL("CREATE TABLE {} (id integer)").format(sql.Identifier(last)))
    refused = drill.shell(psql_restore, database_url=drill.role_url(crowded), check=False)
    assert refused.returncode != 0 and f'relation "{last}" already exists' in refused.stderr
    assert tables(crowded) == {last}

    # The nightly dump put live in place of a database that has moved on: rows deleted and
    # changed, a table gone, and a table of a newer release that refers to one of the dump's
    # (whose rows have changed too).
    # The copy restored first plays the live database, laid out as production's is.
    edition = sql.Identifier(Edition._meta.db_table)
    with psycopg.connect(drill.role_url(restored), autocommit=True) as live:
        live.execute(sql.SQL("DELETE FROM {}").format(sql.Identifier(Snapshot._meta.db_table)))
        live.execute(
            sql.SQL("UPDATE {} SET evidence = 'Overwritten.'").format(
                sql.Identifier(Answer._meta.db_table)
            )
        )
        live.execute(sql.SQL("DROP TABLE {}").format(sql.Identifier(ReportDocument._meta.db_table)))
        live.execute(sql.SQL("UPDATE {} SET title = title || ' (renamed)'").format(edition))
        newer = sql.Identifier(NEWER_TABLE)
        live.execute(
            sql.SQL(
                "CREATE TABLE {} (id bigserial PRIMARY KEY, edition_id bigint NOT NULL"
                " REFERENCES {} DEFERRABLE INITIALLY DEFERRED)"
            ).format(newer, edition)
        )
        live.execute(
            sql.SQL("INSERT INTO {} (edition_id) SELECT id FROM {}").format(newer, edition)
        )
    moved_on = tables(restored)
    assert NEWER_TABLE in moved_on and ReportDocument._meta.db_table not in moved_on
    drill.shell(create, restored=nightly_copy)
    drill.shell(restore, restored=nightly_copy, dump=nightly)
    drill.shell(count, restored=nightly_copy)
    swaps = documented_commands(block_with="systemctl stop")
    for swap in swaps:
        drill.shell(
            drill.command(swap), live=restored, restored=nightly_copy, kept=kept, dump=nightly
        )
    assert not differing(before, restored)
    assert tables(restored) == tables(source)  # `manage migrate` then adds the newer table
    assert owners(restored) == {drill.role}
    # Nothing of the live database is lost until it is dropped, when the restore is checked.
    assert tables(kept) == moved_on
    with administer(kept) as db:
        kept_rows = db.execute(sql.SQL("SELECT count(*) FROM {}").format(newer)).fetchone()
    assert kept_rows == (len(before[Edition._meta.db_table]),)

    drill.shell(drill.command("dropdb"), kept=kept)
    assert not exists(kept)

    # Something else connected to the live database holds a rename up, with the error the
    # document quotes, until the documented command ends its session.
    with psycopg.connect(drill.role_url(restored), autocommit=True) as other:
        refused = drill.shell(swaps[0], live=restored, kept=kept, check=False)
        assert refused.returncode != 0 and "is being accessed by other users" in refused.stderr
        drill.shell(drill.command("pg_terminate_backend"), live=restored)
        with pytest.raises(psycopg.OperationalError, match="administrator command"):
            other.execute("SELECT 1")
    drill.shell(swaps[0], live=restored, kept=kept)

    assert drill.used == set(drill.commands), "a documented command the drill does not run"
