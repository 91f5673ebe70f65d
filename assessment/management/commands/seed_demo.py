"""`manage.py seed_demo`: demo sign-ins, two named councils' assessments and peer councils."""

from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.urls import reverse

from assessment import tasks
from assessment.demo import (
    DEMO_ADMIN,
    DEMO_ORGANISATIONS,
    DEMO_PASSWORD,
    MAX_PEERS,
    Submission,
    demo_sign_ins,
    record_submissions,
    seed_peers,
)
from assessment.models import Assessment, Membership, Organisation, PeerGroup
from assessment.workflow import AnswerInput, save_answers, start_assessment, submit_assessment
from trends.models import Edition, Family

# The editions fictional peers answer, latest first: `--editions 2` takes both.
DEMO_EDITIONS = ["digital-trends-2024", "digital-trends-2023"]


class Command(BaseCommand):
    help = (
        "Create the demo councils and sign-ins (development only) and, with --organisations, "
        "fictional peer organisations with submitted assessments. Safe to run again: what "
        "exists already is left as it is."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--organisations",
            type=int,
            default=0,
            metavar="N",
            help="Also create N fictional peer organisations (no sign-ins), each with a "
            "submitted assessment of each edition, for peer comparisons and the sector overview.",
        )
        parser.add_argument(
            "--editions",
            type=int,
            choices=range(1, len(DEMO_EDITIONS) + 1),
            default=1,
            help="How many editions the peers have submitted: 1, the 2024 edition; 2, also the "
            "2023 edition, a year earlier.",
        )

        parser.add_argument(
            "--port",
            type=int,
            default=8000,
            help="The port the demo is served on, for the addresses it prints (make run PORT=…).",
        )

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo creates accounts with published passwords, so it only runs with "
                "DEBUG on. Create real admins with `manage.py createsuperuser`."
            )
        peers = options["organisations"]
        if not 0 <= peers <= MAX_PEERS:
            raise CommandError(f"--organisations must be between 0 and {MAX_PEERS}.")
        editions = self._peer_editions(options["editions"]) if peers else []
        users = get_user_model().objects
        username, email, password = DEMO_ADMIN
        admin, _ = users.get_or_create(username=username, defaults={"email": email})
        admin.email = email
        admin.is_staff = admin.is_superuser = admin.is_active = True
        admin.set_password(password)
        admin.save()

        # One hash for every council user: hashing is slow by design, and the password is public.
        council_password = make_password(DEMO_PASSWORD)
        organisations = {}
        for name, slug, kind, nation, region, band in DEMO_ORGANISATIONS:
            organisations[name], _ = Organisation.objects.update_or_create(
                slug=slug,
                defaults={
                    "name": name,
                    "kind": kind,
                    "nation": nation,
                    "region": region,
                    "population_band": band,
                },
            )
        sign_ins = demo_sign_ins()
        for person in sign_ins:
            user, _ = users.get_or_create(username=person.username)
            user.first_name, user.last_name = person.first_name, person.last_name
            user.email = person.email
            user.is_staff = user.is_superuser = False
            user.is_active = True
            user.password = council_password
            user.save()
            Membership.objects.update_or_create(
                user=user,
                defaults={"organisation": organisations[person.organisation], "role": person.role},
            )
        self._start_demo_assessment()
        self._submit_demo_assessment()
        self._submit_earlier_demo_assessment()
        created, _ = seed_peers(peers, editions)
        # The demo councils' submitted reports are made by the worker `make run` starts.
        tasks.prepare_all(
            list(
                Assessment.objects.filter(
                    organisation__slug__in=[o[1] for o in DEMO_ORGANISATIONS],
                    status=Assessment.Status.SUBMITTED,
                ).select_related("organisation", "edition")
            )
        )
        # The address `make run` serves (scripts/serve.sh), on the port it passes here.
        site = f"http://127.0.0.1:{options['port']}"

        self.stdout.write("Demo sign-ins (development only):")
        self.stdout.write(f"  Admin: {username} / {password}   {site}{reverse('admin:index')}")
        self.stdout.write(f"  Council users, all with the password {DEMO_PASSWORD}:")
        for person in sign_ins:
            self.stdout.write(
                f"    {person.username:<22} {person.role.label:<28} "
                f"{person.first_name} {person.last_name}, {person.organisation}"
            )
        self.stdout.write(f"  Sign in at {site}{reverse('assessment:sign_in')}")
        self.stdout.write(
            "  Ashdown's assessment is part answered; Northshire's is submitted, with its plan "
            "and its 2023 assessment to compare with."
        )
        if peers:
            years = " and ".join(str(e.year) for e in reversed(editions))
            self.stdout.write(
                f"  {peers} fictional peer organisations, without sign-ins, have submitted "
                f"{years} assessments for the peer comparisons ({created} new this time)."
            )

    def _peer_editions(self, count: int) -> list[Edition]:
        found = {e.slug: e for e in Edition.objects.filter(slug__in=DEMO_EDITIONS[:count])}
        missing = [slug for slug in DEMO_EDITIONS[:count] if slug not in found]
        if missing:
            raise CommandError(
                f"The edition {missing[0]} is not loaded: run `manage.py load_content` first."
            )
        return [found[slug] for slug in DEMO_EDITIONS[:count]]

    def _new_demo_assessment(self, slug: str) -> Assessment | None:
        """Start the council's 2024 assessment as its lead, unless it already has one."""
        edition = Edition.objects.filter(
            slug="digital-trends-2024", status=Edition.Status.PUBLISHED
        ).first()
        organisation = Organisation.objects.get(slug=slug)
        if (
            edition is None
            or Assessment.objects.filter(organisation=organisation, edition=edition).exists()
        ):
            return None
        return start_assessment(organisation=organisation, edition=edition, user=_lead(slug))

    def _start_demo_assessment(self) -> None:
        """Ashdown's lead has started the 2024 assessment and answered two sections."""
        assessment = self._new_demo_assessment("ashdown")
        if assessment is None:
            return
        questions = assessment.edition.questions.filter(trend__slug__in=["data", "cyber"]).order_by(
            "trend", "order"
        )
        inputs = [
            AnswerInput(
                question=q,
                response=str((n * 3) % 5),
                not_applicable_reason="",
                evidence="Corporate data strategy approved by cabinet." if n % 3 == 0 else "",
                seen_version=0,
            )
            for n, q in enumerate(questions)
        ]
        save_answers(assessment=assessment, inputs=inputs, user=_lead("ashdown"))

    def _submit_demo_assessment(self) -> None:
        """Northshire has answered everything and submitted: strong IT, weaker digital practice,
        so its report shows the caution that good IT management can mask digital immaturity."""
        assessment = self._new_demo_assessment("northshire")
        if assessment is None:
            return
        officer = get_user_model().objects.get(username="northshire-officer")
        inputs = []
        questions = assessment.edition.questions.select_related("trend").order_by("pk")
        for n, q in enumerate(questions):
            technology = q.trend.family == "technology"
            response = str((3 if technology else 1) + (n % 3) // 2) if n % 11 else "dont_know"
            reason = ""
            if q.key == "geospatial-05":
                response, reason = "na", "The county's shared GIS service covers this for us."
            evidence = f"Evidence pack, section {n + 1}." if n % 4 == 0 else ""
            inputs.append(AnswerInput(q, response, reason, evidence, 0))
        save_answers(assessment=assessment, inputs=inputs, user=officer)
        submit_assessment(assessment=assessment, user=_lead("northshire"))
        # Few demo peers are county councils, so its lead compares with all organisations and
        # the report shows figures; Ashdown keeps the default and shows the threshold at work.
        Organisation.objects.filter(pk=assessment.organisation_id).update(peer_group=PeerGroup.ALL)

    def _submit_earlier_demo_assessment(self) -> None:
        """Northshire also submitted the 2023 edition, a step lower on most questions, so its
        report shows progress (question by question where a 2024 question continues one)."""
        earlier = Edition.objects.filter(slug=DEMO_EDITIONS[1]).first()
        latest = Assessment.objects.filter(
            organisation__slug="northshire",
            edition__slug=DEMO_EDITIONS[0],
            status=Assessment.Status.SUBMITTED,
        ).first()
        if earlier is None or latest is None:
            return
        if Assessment.objects.filter(organisation=latest.organisation, edition=earlier).exists():
            return
        continued_by = {
            a.question.continues_id: a
            for a in latest.answers.select_related("question")
            if a.question.continues_id is not None
        }
        answers = []
        questions = earlier.questions.select_related("trend").order_by("pk")
        for n, q in enumerate(questions):
            later = continued_by.get(q.pk)
            if later is None:
                response = "2" if q.trend.family == Family.TECHNOLOGY else "1"
                answers.append((q, response, "", ""))
            elif later.response.isdigit():
                response = str(max(0, int(later.response) - (n % 4 != 0)))
                answers.append((q, response, "", ""))
            else:
                answers.append((q, later.response, later.not_applicable_reason, ""))
        record_submissions(
            [
                Submission(
                    organisation=latest.organisation,
                    edition=earlier,
                    started_at=datetime(2023, 5, 2, 9, tzinfo=UTC),
                    submitted_at=datetime(2023, 6, 14, 15, 30, tzinfo=UTC),
                    answers=answers,
                    by=get_user_model().objects.get(username="northshire-lead"),
                )
            ]
        )


def _lead(slug: str) -> User:
    return get_user_model().objects.get(username=f"{slug}-lead")
