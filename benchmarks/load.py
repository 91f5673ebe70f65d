"""Load and concurrency: N officers (`--officers`, 50 by default) of N/5 councils answering at
once, against gunicorn on PostgreSQL, and a check afterwards that no acknowledged save was lost.

Run with `.venv/bin/python benchmarks/load.py [--officers 100] [--seconds 60]` on a machine with
PostgreSQL on 127.0.0.1:5432 (trust authentication, user postgres). Everything stays on
loopback. To compare worker models, `--worker-class`, `--threads` and `--workers` are passed on
to gunicorn's command line (say `--worker-class gthread --threads 4 --workers 3`); without them
gunicorn.conf.py decides. The load averages (1, 5 and 15 minutes, as `uptime` shows them) and
the number of cores are printed at the start and the end, since a busy machine shows in every
figure.

Set-up. A database named for the run (`digital_maturity_load_<pid>`) is created, migrated, given
the shipped content (`load_content`); static files are collected, as a deploy does, because the
production storage needs their manifest. N/5 councils (rounded up) are made, each with five
members (its lead and four officers; all five answer), the last with fewer when N is no multiple
of five; all share one generated password, and each lead starts the council's 2024 assessment
(`start_assessment`). The app is then served by gunicorn as gunicorn.conf.py configures it for
production (its workers: two per core plus one, unless WEB_CONCURRENCY says otherwise; ours are
the address, a free port on 127.0.0.1, and any worker options given), with production
settings: DEBUG off, a generated SECRET_KEY, ALLOWED_HOSTS=127.0.0.1, and BEHIND_TLS_PROXY on,
the clients sending `X-Forwarded-Proto: https` as the TLS proxy in front of production does
(DEBUG off means HTTPS only). The run waits until gunicorn answers the sign-in page, for as long
as the workers' start-up may take on this machine (see `readiness_deadline`), and says how long
that took. Sign-in throttling (django-axes) stays on: every sign-in uses the right password, so
none is counted as a failure. No static files are fetched: a browser has them cached after its
first page.

Load. Each officer is a thread with its own cookies, the threads spread over a few processes
(`--client-processes`, 4 by default): in one process, a hundred officers parsing the pages they
get would queue for its one interpreter lock, and their waiting would be counted as the server's
latency; real officers each have a computer of their own. Each signs in through the real sign-in
form (CSRF token and all), follows the redirect to its dashboard and opens its assessment's task
list: that is the sign-in phase, the N officers arriving over 20 s whatever N is, and measured
apart, because each sign-in checks a password hash that is slow by design. When all are signed
in, every officer loops at once for `--seconds`: think, open one of the first three sections of
its council's assessment, think, change one to three of the section's first four questions (a
level and an evidence note), and post the whole form back with the versions the page showed, as
the browser does; then follow the redirect to the task list. Five officers on the same twelve
questions edit the same question now and then, so conflicts happen. Shown a conflict, an officer
keeps their answer by saving the conflict page again (half the time, at most twice) or gives
way. Every request's status and latency is recorded, and the CPU that gunicorn, PostgreSQL, this
script and the rest of the machine used while officers answered. Each phase is reported with its
50th, 95th and 99th percentile and slowest latency, errors and time-outs, as a whole and page by
page; the sign-in phase also with each officer's whole sign-in (form, post, dashboard, task
list) at the 50th and 95th percentile.

Outcomes. A save is *acknowledged* when the server answers the post with a redirect and the
page it leads to says "… saved."; it *conflicts* when the server answers 200 with the conflict
message (the officer chooses; this is the rule working, not an error). A *time-out* is a
request that got no answer within 30 s (`TIMEOUT`). An *error* is any other answer that is not
what a working app gives: a 5xx, a connection error, or any other unexpected status or page.

The write check. Every evidence note an officer sends is a token naming the officer, the save
and the question, so every write is distinct (no save can be a no-op) and can be traced. An
*acknowledged write* is one question that an officer changed in an acknowledged save. After the
load has stopped, the answers and their change history are read back with SQL, and:

1. every acknowledged write is recorded once: exactly one change row carries its token, on that
   council's answer to that question, by that officer, with the level sent;
2. nothing unacknowledged was written: every change row carries the token of an acknowledged
   write (a save shown as a conflict saved nothing);
3. nothing was silently overwritten: each answer's changes run 1..version, each starting from
   the values the one before left, and the answer holds the last one's values;
4. for each officer and question, the value that officer sent last in an acknowledged save is
   the answer's value now, unless a later acknowledged save by someone else superseded it (a
   change by another officer with a higher version).

A *lost write* is an acknowledged write failing 1 or 4; a failure of 2 or 3 is also counted as
one. Goals (`GOALS`), which decide the exit status: no errors, no time-outs, no lost writes, the
95th percentile latency of the answering phase's requests at most 500 ms and of the sign-in
phase's at most 3,000 ms, on a 2-core machine (the load script shares those cores with the
server; the goal run is `--officers 100`). gunicorn is stopped and the database dropped at the
end, also when something fails or the run is interrupted (Ctrl+C or SIGTERM).
"""

from __future__ import annotations

import argparse
import http.client
import math
import multiprocessing
import os
import queue
import random
import re
import runpy
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

HOST = "127.0.0.1"
POSTGRES = f"postgresql://postgres@{HOST}:5432"
# Named for this run, so two runs on one machine never drop each other's database.
DATABASE = f"digital_maturity_load_{os.getpid()}"
# Collected here, not into the checkout; emptied at the start and the end of each run.
STATIC_ROOT = Path(tempfile.gettempdir()) / f"{DATABASE}_static"

# The app's settings, for this process (set-up and the check) and for gunicorn alike.
os.environ.update(
    DJANGO_SETTINGS_MODULE="config.settings",
    DEBUG="false",
    SECRET_KEY=secrets.token_urlsafe(50),
    ALLOWED_HOSTS=HOST,
    DATABASE_URL=f"{POSTGRES}/{DATABASE}",
    BEHIND_TLS_PROXY="true",
    STATIC_ROOT=str(STATIC_ROOT),
    LOG_LEVEL="WARNING",
)

import django  # noqa: E402

django.setup()

import psycopg  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402
from psycopg import sql  # noqa: E402

from assessment.models import Answer, AnswerChange, Membership, Organisation  # noqa: E402
from assessment.workflow import start_assessment  # noqa: E402
from tests.pages import attribute_values, form_state  # noqa: E402
from trends.models import Edition  # noqa: E402

OFFICERS = 50  # by default; the goal run has 100
MEMBERS = 5  # per council: the lead and four officers, all of whom answer
HOT_SECTIONS = 3  # each officer works in the first three sections …
HOT_QUESTIONS = 4  # … on their first four questions, so officers of a council collide
# Before each page and before each save: an officer saves every 4 s or so, far faster than
# anyone reads and rates a section, so N of them load the server like many more people.
THINK_SECONDS = (1.0, 3.0)
# Signing in checks a password hash that costs ~0.19 s of CPU by design (Argon2, the first of
# PASSWORD_HASHERS; benchmarks/password_hashing.py measures it), so 100 sign-ins in the same
# second would queue for ten seconds on 2 cores. Officers arrive over this many seconds,
# whatever their number: 100 of them keep about half of 2 cores busy hashing.
SIGN_IN_RAMP_SECONDS = 20
# Officers are threads in this many processes: in one, a hundred threads parsing pages would
# queue for its one interpreter lock, and their waits would count as the server's latency.
CLIENT_PROCESSES = 4
USER_AGENT = "benchmarks/load.py"
ACCESS_LOG_FORMAT = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)s'
KEEP_MINE_ATTEMPTS = 2  # saves of a conflict page, keeping one's own answer, at most
TIMEOUT = 30  # seconds a request may take before it counts as a time-out
# CPU a gunicorn worker spends before its first answer: ~1.5 s importing config.wsgi as it
# boots, ~2 s more loading the URLconf and the views (post_worker_init in gunicorn.conf.py),
# measured on a 2-core machine. The deadline for the first answer is built on it
# (`readiness_deadline`).
WORKER_BOOT_CPU_SECONDS = 4
READINESS_FLOOR_SECONDS = 60
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
RESPONSES = ("0", "1", "2", "3", "4", "dont_know")  # "na" would need a reason too
CONFLICT = "changed this answer while you were editing it"
SAVED = re.compile(r": \d+ answers? saved\.")
GOALS = {
    "errors": 0,
    "time-outs": 0,
    "lost writes": 0,
    "p95 answering (ms)": 500,
    "p95 signing in (ms)": 3000,
}


# The simulated officers ---------------------------------------------------------------------


@dataclass(frozen=True)
class Sample:
    phase: str  # "signing in" or "answering"
    page: str
    status: int  # 0: no answer (connection error or time-out)
    ms: float
    error: str = ""  # not for a time-out, which is counted apart
    timed_out: bool = False


@dataclass(frozen=True)
class Write:
    """One question an officer changed in a save the server acknowledged."""

    token: str
    officer: str
    assessment: int
    question: int
    response: str
    order: int  # which of the officer's saves it was: theirs are made one after another


@dataclass
class Response:
    status: int
    location: str
    text: str


@dataclass
class Officer:
    username: str
    password: str
    assessment: int
    port: int
    samples: list[Sample] = field(default_factory=list)
    writes: list[Write] = field(default_factory=list)
    uncertain: set[str] = field(default_factory=set)  # tokens of saves that got no answer
    problems: list[Sample] = field(default_factory=list)  # answers no working app gives
    outcomes: Counter = field(default_factory=Counter)
    cookies: dict[str, str] = field(default_factory=dict)
    phase: str = "signing in"
    sign_in_ms: float | None = None  # form to task list, once signed in

    def request(self, page: str, path: str, data: dict[str, str] | None = None) -> Response | None:
        """One request, as a browser behind the TLS proxy makes it; None if it got no answer."""
        origin = f"https://{HOST}:{self.port}"
        # The phase in the user agent: gunicorn's access log then tells the phases apart.
        headers = {"X-Forwarded-Proto": "https", "User-Agent": f"{USER_AGENT} {self.phase}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data)
            headers |= {
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": origin,
                "Referer": origin + path,
            }
        start = time.perf_counter()
        try:
            conn = http.client.HTTPConnection(HOST, self.port, timeout=TIMEOUT)
            try:
                conn.request("POST" if data is not None else "GET", path, body, headers)
                answer = conn.getresponse()
                text = answer.read().decode()
            finally:
                conn.close()
        except TimeoutError:  # socket.timeout: no answer within TIMEOUT
            ms = (time.perf_counter() - start) * 1000
            self.samples.append(Sample(self.phase, page, 0, ms, timed_out=True))
            return None
        except (OSError, http.client.HTTPException) as error:
            ms = (time.perf_counter() - start) * 1000
            self.samples.append(Sample(self.phase, page, 0, ms, f"{type(error).__name__}"))
            return None
        ms = (time.perf_counter() - start) * 1000
        for header in answer.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        failed = f"HTTP {answer.status}" if answer.status >= 500 else ""
        self.samples.append(Sample(self.phase, page, answer.status, ms, failed))
        return Response(answer.status, answer.headers.get("Location", ""), text)

    def unexpected(self, page: str, response: Response | None, why: str) -> None:
        """Count an answer that is no 5xx but still not what a working app gives, as an error
        (no answer at all and 5xx are counted already, with the request)."""
        if response is not None and response.status < 500:
            self.problems.append(Sample(self.phase, page, response.status, 0.0, why))

    def sign_in(self) -> list[str] | None:
        """Sign in through the form; the section paths the task list links to, or None."""
        started = time.perf_counter()
        form = self.request("sign-in form", "/sign-in/")
        if form is None or form.status != 200:
            self.unexpected("sign-in form", form, "no sign-in form")
            return None
        signed_in = self.request(
            "sign-in",
            "/sign-in/",
            form_state(form.text) | {"username": self.username, "password": self.password},
        )
        if signed_in is None or signed_in.status != 302:
            self.unexpected("sign-in", signed_in, "sign-in refused")
            return None
        dashboard = self.request("dashboard", signed_in.location)
        task_list_path = f"/assessments/{self.assessment}/"
        if dashboard is None or f'href="{task_list_path}"' not in dashboard.text:
            self.unexpected("dashboard", dashboard, "assessment not on the dashboard")
            return None
        task_list = self.request("task list", task_list_path)
        if task_list is None or task_list.status != 200:
            self.unexpected("task list", task_list, "no task list")
            return None
        self.sign_in_ms = (time.perf_counter() - started) * 1000
        sections = [
            href
            for href in attribute_values(task_list.text, "a[href]", "href")
            if re.fullmatch(rf"{task_list_path}sections/[\w-]+/", href)
        ]
        return sections[:HOT_SECTIONS] or None

    def answer(self, sections: list[str], until: float, rng: random.Random) -> None:
        """Open a section, change a few questions, save; until the time is up."""
        self.phase = "answering"
        saves = 0
        for _ in range(10_000):  # bounded: far more than a run can reach
            if time.monotonic() + THINK_SECONDS[1] * 2 > until:
                return
            time.sleep(rng.uniform(*THINK_SECONDS))
            path = rng.choice(sections)
            page = self.request("section", path)
            if page is None or page.status != 200:
                self.unexpected("section", page, "section not shown")
                continue
            state = form_state(page.text)
            versions = (re.fullmatch(r"q(\d+)-version", field) for field in state)
            questions = [version[1] for version in versions if version][:HOT_QUESTIONS]
            saves += 1
            changed = {}
            for question in rng.sample(questions, rng.randint(1, 3)):
                token = f"{self.username} save {saves} q{question}"
                changed[int(question)] = (rng.choice(RESPONSES), token)
                state[f"q{question}-response"] = changed[int(question)][0]
                state[f"q{question}-evidence"] = token
            time.sleep(rng.uniform(*THINK_SECONDS))
            self.save(path, state | {"save_and_return": ""}, changed, saves, rng)

    def save(
        self,
        path: str,
        data: dict[str, str],
        changed: dict[int, tuple[str, str]],
        order: int,
        rng: random.Random,
    ) -> None:
        """Post a section; on a conflict, keep mine by saving the conflict page, or give way."""
        for attempt in range(1 + KEEP_MINE_ATTEMPTS):
            saved = self.request("save", path, data)
            if saved is None or saved.status >= 500:
                self.outcomes["unknown"] += 1
                self.uncertain |= {token for _, token in changed.values()}
                return
            if saved.status == 302:
                after = self.request("task list", saved.location)
                if after is None or not SAVED.search(after.text):
                    self.outcomes["unknown"] += 1
                    self.uncertain |= {token for _, token in changed.values()}
                    self.unexpected("task list", after, "no saved message")
                    return
                self.outcomes["acknowledged"] += 1
                self.writes += [
                    Write(token, self.username, self.assessment, question, response, order)
                    for question, (response, token) in changed.items()
                ]
                return
            if saved.status != 200 or CONFLICT not in saved.text:
                self.unexpected("save", saved, "neither saved nor a conflict")
                return
            self.outcomes["conflict shown"] += 1
            if attempt == KEEP_MINE_ATTEMPTS or rng.random() < 0.5:
                self.outcomes["gave way"] += 1
                return
            # Keep mine: the conflict page carries my answers and the newer versions.
            data = form_state(saved.text) | {"save_and_return": ""}
            time.sleep(rng.uniform(*THINK_SECONDS))


@dataclass(frozen=True)
class Run:
    workers: int
    signing_in: float  # seconds
    answering: float
    cpu: dict[str, float]  # CPU seconds each party used while officers answered


def run_load(
    officers: list[Officer], seconds: float, server_pid: int, processes: int
) -> tuple[list[Officer], Run]:
    """Sign everyone in, then let them answer together for `seconds`. The officers are
    threads spread over `processes` processes, each officer in the one its number gives; they
    come back, with all they recorded, in their order."""
    context = multiprocessing.get_context("fork")  # the children inherit the set-up as it is
    processes = min(processes, len(officers))
    signed_in = context.Barrier(processes + 1)
    start_answering = context.Event()
    until = context.Value("d", 0.0)
    results = context.Queue()
    numbered = list(enumerate(officers))
    children = [
        context.Process(
            target=_officers_process,
            args=(
                numbered[i::processes],
                len(officers),
                signed_in,
                start_answering,
                until,
                results,
            ),
            daemon=True,  # should the run fail, they stop with it rather than keep it alive
        )
        for i in range(processes)
    ]
    started = time.monotonic()
    for child in children:
        child.start()
    # Bounded waits: a process that dies must fail the run, not hang it.
    signed_in.wait(timeout=SIGN_IN_RAMP_SECONDS + 4 * TIMEOUT + 60)
    signing_in = time.monotonic() - started
    cpu_before = cpu_snapshot(server_pid)
    answering_from = time.monotonic()
    until.value = answering_from + seconds
    start_answering.set()
    back: list[tuple[int, Officer]] = []
    deadline = time.monotonic() + seconds + (KEEP_MINE_ATTEMPTS + 3) * TIMEOUT + 60
    while len(back) < len(officers):
        try:
            back += results.get(timeout=5)
        except queue.Empty:
            failed = [c.exitcode for c in children if c.exitcode not in (None, 0)]
            if failed or time.monotonic() > deadline:
                raise RuntimeError(
                    f"officers' processes failed (exit statuses {failed})"
                    if failed
                    else "officers' processes sent nothing back in time"
                ) from None
    for child in children:
        child.join()
    answering = time.monotonic() - answering_from
    cpu_after = cpu_snapshot(server_pid)
    cpu = {party: cpu_after[party] - cpu_before[party] for party in cpu_after}
    workers = len(_children(server_pid))
    return [officer for _, officer in sorted(back, key=lambda pair: pair[0])], Run(
        workers, signing_in, answering, cpu
    )


def _officers_process(
    numbered: list[tuple[int, Officer]],
    everyone: int,
    signed_in: Any,
    start_answering: Any,
    until: Any,
    results: Any,
) -> None:
    """One process's officers, a thread each: sign in (arriving over the ramp by their
    number), wait for everyone, answer until the time is up, and send back what they
    recorded."""
    here = threading.Barrier(len(numbered) + 1)

    def officer_thread(index: int, officer: Officer) -> None:
        paths = None
        try:
            time.sleep(index * SIGN_IN_RAMP_SECONDS / everyone)
            paths = officer.sign_in()
        except Exception as error:  # a bug here must show as an error, not hang the run
            officer.problems.append(Sample(officer.phase, "sign-in", 0, 0.0, repr(error)))
        finally:
            here.wait()
        start_answering.wait()
        try:
            if paths:
                officer.answer(paths, until.value, random.Random(officer.username))
        except Exception as error:
            officer.problems.append(Sample(officer.phase, "answering", 0, 0.0, repr(error)))

    threads = [threading.Thread(target=officer_thread, args=pair, daemon=True) for pair in numbered]
    for thread in threads:
        thread.start()
    here.wait()
    signed_in.wait()
    for thread in threads:
        thread.join()
    results.put(numbered)


def cpu_snapshot(server_pid: int) -> dict[str, float]:
    """CPU seconds used so far by gunicorn (its master and workers, those replaced too),
    PostgreSQL (every backend, the load database's and any other's), this script (with its
    officers' processes) and the whole machine (Linux's /proc), to tell how busy it was."""
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as server:
        (backend,) = server.execute("SELECT pg_backend_pid()").fetchone() or (0,)
        postmaster = int(_stat(backend)[1])  # the backend's parent
    gunicorn = _tree_cpu(server_pid)
    # The first line of /proc/stat: user nice system idle iowait irq softirq steal ..., in ticks.
    ticks = [int(n) for n in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    return {
        "gunicorn": gunicorn,
        "PostgreSQL": _tree_cpu(postmaster),
        "this script": _tree_cpu(os.getpid()) - gunicorn,  # gunicorn is a child of ours
        "machine": (sum(ticks) - ticks[3] - ticks[4]) / CLOCK_TICKS,
    }


def _tree_cpu(pid: int) -> float:
    """A process's CPU time, with that of its children: those it has waited for (cutime and
    cstime) and, one by one, those still running."""
    fields = _stat(pid)
    if not fields:
        return 0.0  # gone already
    own = sum(int(fields[n]) for n in (11, 12, 13, 14)) / CLOCK_TICKS
    return own + sum(_tree_cpu(child) for child in _children(pid))


def _stat(pid: int) -> list[str]:
    """The fields of /proc/<pid>/stat after the command's name: state, ppid, …"""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return []


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


# Set-up and tear-down -------------------------------------------------------------------------


def drop_database(*, create_again: bool = False) -> None:
    connections.close_all()
    name = sql.Identifier(DATABASE)
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as server:
        server.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        if create_again:
            server.execute(sql.SQL("CREATE DATABASE {}").format(name))


def prepare(port: int, count: int) -> list[Officer]:
    """Content, static files, and `count` officers: councils of five members (the last with
    fewer when `count` is no multiple of five), each with its assessment started."""
    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_content", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    edition = Edition.objects.get(slug="digital-trends-2024")
    password = secrets.token_urlsafe(24)
    hashed = make_password(password)  # one hash for all: hashing is slow by design
    users = get_user_model().objects
    officers = []
    for c in range(1, math.ceil(count / MEMBERS) + 1):
        organisation = Organisation.objects.create(
            name=f"Load Test Council {c}",
            slug=f"load-{c}",
            kind=Organisation.Kind.DISTRICT,
            nation=Organisation.Nation.ENGLAND,
            region="South East",
            population_band=Organisation.PopulationBand.FROM_100K,
        )
        members = []
        for m in range(1, min(MEMBERS, count - (c - 1) * MEMBERS) + 1):
            user = users.create(
                username=f"load-{c}-{m}",
                first_name=f"Officer {m}",
                last_name=f"of council {c}",
                password=hashed,
            )
            role = Membership.Role.LEAD if m == 1 else Membership.Role.OFFICER
            Membership.objects.create(user=user, organisation=organisation, role=role)
            members.append(user)
        assessment = start_assessment(organisation=organisation, edition=edition, user=members[0])
        officers += [Officer(u.username, password, assessment.pk, port) for u in members]
    connections.close_all()
    return officers


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def start_gunicorn(port: int, log: IO[str], options: list[str]) -> subprocess.Popen:
    # Run from the checkout, gunicorn reads the production settings in gunicorn.conf.py (its
    # workers: WEB_CONCURRENCY, else two per core plus one); the command line adds the address
    # and any worker options given, and wins over the file where both set something.
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            f"--bind={HOST}:{port}",
            # gunicorn's own log line, with the time it took over each request (%(M)s ms).
            f"--access-logformat={ACCESS_LOG_FORMAT}",
            *options,
        ],
        cwd=ROOT,
        env=os.environ.copy(),
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def configured_workers() -> int:
    """How many workers gunicorn.conf.py starts (WEB_CONCURRENCY or two per core plus one),
    read from the file itself so the two never disagree."""
    return runpy.run_path(str(ROOT / "gunicorn.conf.py"))["workers"]


def readiness_deadline(workers: int) -> tuple[float, str]:
    """Seconds to wait for gunicorn's first answer, and what they were based on.

    Every worker boots at once, each needing WORKER_BOOT_CPU_SECONDS of CPU, and a load average
    of L per core means L other runnable tasks per core sharing the cores; so the workers get a
    share cores ÷ (workers + L × cores) of the machine, and the first answers after about boot ×
    (workers ÷ cores + L), at least one boot. The deadline is four times that, and never under
    READINESS_FLOOR_SECONDS: on an idle 2-core machine five workers are expected within 10 s;
    the floor only gives way at more than 1.25 load per core (five workers, 2 cores)."""
    cores = os.cpu_count() or 1
    load = os.getloadavg()[0] / cores
    expected = WORKER_BOOT_CPU_SECONDS * max(1.0, workers / cores + load)
    deadline = max(READINESS_FLOOR_SECONDS, 4 * expected)
    return deadline, f"{workers} workers, load {load:.1f} per core"


def wait_until_answering(server: subprocess.Popen, port: int, workers: int, log: IO[str]) -> float:
    """Wait until gunicorn answers the sign-in page, within `readiness_deadline`; the seconds
    that took. Failing, say what was last seen and how gunicorn's log ends."""
    deadline, basis = readiness_deadline(workers)
    started = time.perf_counter()
    seen = "nothing yet"
    while (left := started + deadline - time.perf_counter()) > 0:
        if server.poll() is not None:
            raise RuntimeError(
                f"gunicorn exited with status {server.returncode} before it answered the "
                f"sign-in page; its log ends:\n{''.join(read_log(log)[-20:])}"
            )
        # The arbiter listens before its workers have booted, so a connection waits in the
        # backlog until a worker takes it: wait for its answer as long as the deadline allows.
        probe = http.client.HTTPConnection(HOST, port, timeout=left)
        try:
            probe.request("GET", "/sign-in/", headers={"X-Forwarded-Proto": "https"})
            status = probe.getresponse().status
        except ConnectionRefusedError:
            seen = "connection refused"
        except TimeoutError:
            seen = "connected, no answer"
        except (OSError, http.client.HTTPException) as error:
            seen = type(error).__name__
        else:
            if status == 200:
                took = time.perf_counter() - started
                print(
                    f"gunicorn answered the sign-in page after {took:.1f} s "
                    f"(deadline {deadline:.0f} s: {basis})",
                    flush=True,
                )
                return took
            seen = f"HTTP {status}"
        finally:
            probe.close()
        time.sleep(0.2)
    raise RuntimeError(
        f"gunicorn did not answer the sign-in page with 200 within {deadline:.0f} s ({basis}); "
        f"last seen: {seen}; its log ends:\n{''.join(read_log(log)[-20:])}"
    )


def read_log(log: IO[str]) -> list[str]:
    # pread, not seek and read: gunicorn writes through a copy of this file descriptor, which
    # shares its offset, so moving it would make gunicorn write over its own log.
    size = os.fstat(log.fileno()).st_size
    return os.pread(log.fileno(), size, 0).decode(errors="replace").splitlines(keepends=True)


def stop_gunicorn(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


# The write check ------------------------------------------------------------------------------


@dataclass
class WriteCheck:
    writes: int = 0
    lost: list[str] = field(default_factory=list)
    unacknowledged: list[str] = field(default_factory=list)
    broken: list[str] = field(default_factory=list)

    @property
    def failures(self) -> int:
        return len(self.lost) + len(self.unacknowledged) + len(self.broken)


def check_writes(writes: list[Write], uncertain: set[str]) -> WriteCheck:
    """The four checks of the module docstring, against what SQL reads back. Tokens of saves
    whose outcome the officer never learnt (errors, counted as such) may be there or not."""
    answer, change, user = (
        Answer._meta.db_table,
        AnswerChange._meta.db_table,
        get_user_model()._meta.db_table,
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT a.id, a.assessment_id, a.question_id, a.version,
                   a.response, a.not_applicable_reason, a.evidence,
                   c.version, u.username,
                   c.old_response, c.old_reason, c.old_evidence,
                   c.new_response, c.new_reason, c.new_evidence
            FROM {answer} a
            LEFT JOIN {change} c ON c.answer_id = a.id
            LEFT JOIN {user} u ON u.id = c.changed_by_id
            ORDER BY a.id, c.version
            """  # table names from the models: nothing from outside
        )
        rows = cursor.fetchall()
    result = WriteCheck(writes=len(writes))
    by_token = {w.token: w for w in writes}
    recorded: dict[str, list[tuple]] = defaultdict(list)  # token -> (key, version, officer, level)
    latest: dict[tuple[int, int], int] = {}  # (assessment, question) -> version now
    changes_of: dict[int, list[tuple]] = defaultdict(list)
    answers: dict[int, tuple] = {}
    for row in rows:
        answer_id, assessment, question, version, *now = row[:7]
        answers[answer_id] = (assessment, question, version, tuple(now))
        latest[(assessment, question)] = version
        if row[7] is not None:
            changes_of[answer_id].append(row[7:])
    for answer_id, (assessment, question, version, now) in answers.items():
        history = changes_of[answer_id]
        # 3: versions 1..version, each change starting where the one before ended.
        previous = ("", "", "")
        for expected, (number, _, *values) in enumerate(history, start=1):
            old, new = tuple(values[:3]), tuple(values[3:])
            if number != expected or old != previous:
                result.broken.append(f"answer {answer_id}: change {number} breaks its history")
            previous = new
        if len(history) != version or now != previous:
            result.broken.append(f"answer {answer_id}: holds no value its history ends with")
        for number, officer, *values in history:
            token = values[5]
            recorded[token].append(((assessment, question), number, officer, values[3]))
            if token not in by_token and token not in uncertain:
                result.unacknowledged.append(f"answer {answer_id} v{number}: {token!r}")
    # 1: each acknowledged write recorded once, where and as it was sent.
    version_of: dict[str, int] = {}
    for w in writes:
        found = recorded.get(w.token, [])
        sent = ((w.assessment, w.question), w.officer, w.response)
        if len(found) != 1 or (found[0][0], found[0][2], found[0][3]) != sent:
            result.lost.append(f"{w.token!r}: recorded {len(found)} times")
        else:
            version_of[w.token] = found[0][1]
    # 4: each officer's last acknowledged value stands, unless someone else's later save won.
    last: dict[tuple[str, int, int], Write] = {}
    for w in sorted(writes, key=lambda w: w.order):
        last[(w.officer, w.assessment, w.question)] = w
    later_by_others: dict[tuple[int, int], list[tuple[int, str]]] = defaultdict(list)
    for found in recorded.values():
        for key, number, officer, _ in found:
            later_by_others[key].append((number, officer))
    for (officer, assessment, question), w in last.items():
        mine = version_of.get(w.token)
        if mine is None:
            continue  # already counted as lost
        if mine == latest.get((assessment, question)):
            continue  # it is the answer now
        superseded = any(
            number > mine and other != officer
            for number, other in later_by_others[(assessment, question)]
        )
        own_later = any(
            number > mine and other == officer
            for number, other in later_by_others[(assessment, question)]
        )
        if not superseded or own_later:
            result.lost.append(f"{w.token!r}: overwritten by no acknowledged save of another")
    return result


# Report ---------------------------------------------------------------------------------------


def server_times(log_lines: list[str]) -> dict[str, tuple[float, float, float]]:
    """The 50th, 95th and 99th percentile of gunicorn's own time over each request, by phase,
    from its access log (`ACCESS_LOG_FORMAT`: the user agent names the phase)."""
    line = re.compile(rf'"{re.escape(USER_AGENT)} (?P<phase>[^"]+)" (?P<ms>\d+)$')
    by_phase: dict[str, list[float]] = defaultdict(list)
    for text in log_lines:
        found = line.search(text.rstrip())
        if found:
            by_phase[found["phase"]].append(float(found["ms"]))
    return {phase: percentiles(ms) for phase, ms in by_phase.items()}


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    if len(samples) < 2:
        value = samples[0] if samples else 0.0
        return value, value, value
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return cuts[49], cuts[94], cuts[98]


def table_row(label: str, ms: list[float], rate: str, errors: int, timeouts: int) -> str:
    p50, p95, p99 = percentiles(ms)
    return (
        f"{label:<22}{len(ms):>9}{rate:>8}{p50:>9.0f}{p95:>9.0f}{p99:>9.0f}"
        f"{max(ms, default=0):>9.0f}{errors:>8}{timeouts:>11}"
    )


def positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number above 0")
    return int(text)


def gunicorn_options(args: argparse.Namespace) -> list[str]:
    """The worker options given, as gunicorn's command line takes them; none: the file's."""
    options = []
    if args.worker_class:
        options += ["--worker-class", args.worker_class]
    if args.threads:
        options += ["--threads", str(args.threads)]
    if args.workers:
        options += ["--workers", str(args.workers)]
    return options


def load_averages() -> str:
    return " ".join(f"{n:.2f}" for n in os.getloadavg())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--officers",
        type=positive,
        default=OFFICERS,
        help=f"how many officers sign in and answer, {MEMBERS} to a council (default {OFFICERS})",
    )
    parser.add_argument("--seconds", type=float, default=60, help="how long officers answer")
    parser.add_argument(
        "--worker-class",
        help="gunicorn's worker class, sync or gthread (default: as gunicorn.conf.py sets)",
    )
    parser.add_argument(
        "--threads",
        type=positive,
        help="threads per gunicorn worker; more than one makes a sync worker gthread",
    )
    parser.add_argument(
        "--workers", type=positive, help="gunicorn's workers (default: as gunicorn.conf.py sets)"
    )
    parser.add_argument(
        "--client-processes",
        type=positive,
        default=CLIENT_PROCESSES,
        help=f"processes the officers' threads are spread over (default {CLIENT_PROCESSES})",
    )
    args = parser.parse_args()
    options = gunicorn_options(args)
    cores = os.cpu_count() or 1
    load_at_start = load_averages()
    print(f"load averages (1, 5, 15 min): {load_at_start} at the start; {cores} cores", flush=True)

    # Stopped with SIGTERM or Ctrl+C (KeyboardInterrupt), the clean-up below still runs.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))
    port = free_port()
    server = None
    shutil.rmtree(STATIC_ROOT, ignore_errors=True)
    with tempfile.TemporaryFile("w+") as log:
        try:
            drop_database(create_again=True)
            officers = prepare(port, args.officers)
            server = start_gunicorn(port, log, options)
            wait_until_answering(server, port, args.workers or configured_workers(), log)
            officers, run = run_load(officers, args.seconds, server.pid, args.client_processes)
            load_at_end = load_averages()
            stop_gunicorn(server)  # the check reads a database nobody writes to any more
            writes = [w for o in officers for w in o.writes]
            outcomes = sum((o.outcomes for o in officers), Counter())
            check = check_writes(writes, {t for o in officers for t in o.uncertain})
        finally:
            if server is not None:
                stop_gunicorn(server)
            drop_database()
            shutil.rmtree(STATIC_ROOT, ignore_errors=True)
            server_log = read_log(log)

    samples = [s for o in officers for s in o.samples]
    timeouts = [s for s in samples if s.timed_out]
    errors = [s for s in samples if s.error] + [p for o in officers for p in o.problems]
    councils = len({o.assessment for o in officers})
    print(
        f"\n{len(officers)} officers of {councils} councils against gunicorn ({run.workers} "
        f"workers; worker model: {' '.join(options) or 'as gunicorn.conf.py sets'}) on "
        f"PostgreSQL; think time {THINK_SECONDS[0]:g}–{THINK_SECONDS[1]:g} s"
    )
    print(
        f"\n{'phase / page':<22}{'requests':>9}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}"
        f"{'p99 ms':>9}{'max ms':>9}{'errors':>8}{'time-outs':>11}"
    )
    p95 = {}
    for phase, seconds in (("signing in", run.signing_in), ("answering", run.answering)):
        timed = [s for s in samples if s.phase == phase]
        p95[phase] = percentiles([s.ms for s in timed])[1]
        print(
            table_row(
                phase,
                [s.ms for s in timed],
                f"{len(timed) / seconds:.1f}",
                sum(1 for s in errors if s.phase == phase),
                sum(1 for s in timeouts if s.phase == phase),
            )
        )
        for page in dict.fromkeys(s.page for s in timed):
            print(
                table_row(
                    f"  {page}",
                    [s.ms for s in timed if s.page == page],
                    "",
                    sum(1 for s in errors if s.phase == phase and s.page == page),
                    sum(1 for s in timeouts if s.phase == phase and s.page == page),
                )
            )
    whole = [o.sign_in_ms for o in officers if o.sign_in_ms is not None]
    p50_whole, p95_whole, _ = percentiles(whole)
    print(
        f"each officer's whole sign-in (form, post, dashboard, task list): p50 {p50_whole:.0f} ms, "
        f"p95 {p95_whole:.0f} ms ({len(whole)} of {len(officers)} officers signed in)"
    )
    print(f"(signing in took {run.signing_in:.1f} s; answering ran {run.answering:.1f} s)")
    served = server_times(server_log)
    print(
        "gunicorn's own time over each request (its access log; not the wait to be taken up): "
        + "; ".join(
            f"{phase} p50 {p50:.0f} ms, p95 {p95_:.0f} ms, p99 {p99:.0f} ms"
            for phase, (p50, p95_, p99) in served.items()
        )
    )
    print(
        f"load averages (1, 5, 15 min): {load_at_start} at the start, {load_at_end} when the "
        f"officers stopped; {cores} cores"
    )
    answered = sum(1 for s in samples if s.phase == "answering")
    others = run.cpu["machine"] - sum(v for k, v in run.cpu.items() if k != "machine")
    print(f"officers' threads spread over {args.client_processes} processes")
    print(
        f"CPU while answering, in cores busy (this machine has {cores}): "
        + ", ".join(f"{k} {v / run.answering:.2f}" for k, v in run.cpu.items() if k != "machine")
        + f", other processes {others / run.answering:.2f}; gunicorn "
        f"{run.cpu['gunicorn'] * 1000 / max(answered, 1):.0f} ms of CPU a request"
    )
    print(
        f"\nsaves: {outcomes['acknowledged']} acknowledged, conflicts shown "
        f"{outcomes['conflict shown']} times ({outcomes['gave way']} given way, the rest saved "
        f"again keeping one's own), {outcomes['unknown']} with no answer"
    )
    print(
        f"write check: {check.writes} acknowledged writes; lost {len(check.lost)}, written "
        f"without acknowledgement {len(check.unacknowledged)}, broken histories "
        f"{len(check.broken)}"
    )
    for problem in (check.lost + check.unacknowledged + check.broken)[:10]:
        print(f"  {problem}")
    if errors:
        print("errors:", dict(Counter(f"{s.page}: {s.error}" for s in errors)))
    if timeouts:
        print(f"time-outs (no answer within {TIMEOUT} s):", dict(Counter(s.page for s in timeouts)))
    if errors or timeouts:
        access = re.compile(r'^\S+ - \S+ \[[^]]+\] "')  # gunicorn's access log: one per request
        other = [line.rstrip() for line in server_log if not access.match(line)]
        print("gunicorn's log, last lines other than its access log:", *other[-20:], sep="\n")

    results = [
        ("errors", len(errors)),
        ("time-outs", len(timeouts)),
        ("lost writes", check.failures),
        ("p95 answering (ms)", round(p95["answering"])),
        ("p95 signing in (ms)", round(p95["signing in"])),
    ]
    print(f"\n{'goal':<22}{'measured':>10}{'goal':>8}")
    missed = False
    for name, value in results:
        goal = GOALS[name]
        missed |= value > goal
        mark = "ok" if value <= goal else "MISSED"
        print(f"{name:<22}{value:>10}{f'≤{goal}':>8} {mark}")
    return 1 if missed else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        # main's clean-up has run by now: gunicorn stopped, the database dropped.
        print("interrupted; gunicorn stopped and the load database dropped", file=sys.stderr)
        sys.exit(128 + signal.SIGINT)
