"""`manage.py load_content`: the trends and every edition in fixtures/ not loaded yet."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils.translation import ngettext

from trends.editions import EditionError, edition_named_in, fill_missing_lineage, import_edition
from trends.models import Edition, Trend

FIXTURES = Path(settings.BASE_DIR) / "fixtures"


class Command(BaseCommand):
    help = (
        "Load the trends and every edition in fixtures/editions/ that the database does not "
        "have yet. An edition counts as loaded if one has its slug or its title, so renaming "
        "either in admin is safe. Never overwrites content: what admins have curated stays as "
        "they left it. An edition deleted in admin is loaded again on the next run. For an "
        "edition already loaded, fills in lineage (which earlier question each question "
        "continues) where the file names one and the question continues nothing yet: a link "
        "an admin set is kept; one an admin removed is filled in again."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        self.verbosity = options["verbosity"]
        if Trend.objects.exists():
            self.say("Trends already loaded.")
        else:
            call_command("loaddata", FIXTURES / "trends.json", verbosity=0)
            self.say(f"Loaded {Trend.objects.count()} trends and their dependencies.")

        for path in sorted((FIXTURES / "editions").glob("*.json")):
            self.say(self.load_edition(path))

    def load_edition(self, path: Path) -> str:
        raw = path.read_bytes()
        try:
            slug, title = edition_named_in(raw)
            # Admins may rename either one, so the file's edition is here if either still matches.
            existing = Edition.objects.filter(Q(slug=slug) | Q(title=title)).first()
            if existing is None:
                edition = import_edition(raw)
                return f"Loaded {edition} with {edition.questions.count()} questions."
            # Loaded before the file named lineage, perhaps: link what is still unlinked.
            linked, problems = fill_missing_lineage(existing, raw)
        except EditionError as error:
            raise CommandError(f"{path.name}: " + " ".join(error.problems)) from None
        if existing.slug == slug:
            message = f"{path.name}: already loaded (the edition with slug {slug})."
        else:
            message = (
                f"{path.name}: already loaded as {existing.slug} (the edition titled “{title}”)."
            )
        if linked:
            message += " " + ngettext(
                "Filled in lineage for %(n)d question that continued nothing;",
                "Filled in lineage for %(n)d questions that continued nothing;",
                linked,
            ) % {"n": linked}
            message += " links admins have set are kept."
        return "\n".join([message, *(f"{path.name}: {problem}" for problem in problems)])

    def say(self, message: str) -> None:
        if self.verbosity >= 1:
            self.stdout.write(message)
