from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from trends.editions import EditionError, import_edition
from trends.models import Edition, Trend

FIXTURES = Path(settings.BASE_DIR) / "fixtures"


class Command(BaseCommand):
    help = (
        "Load the trends and every edition in fixtures/editions/ that the database does not "
        "have yet. Never overwrites content: what admins have curated stays as they left it."
    )

    def handle(self, *args, **options) -> None:
        if Trend.objects.exists():
            self.stdout.write("Trends already loaded.")
        else:
            call_command("loaddata", FIXTURES / "trends.json", verbosity=0)
            self.stdout.write(f"Loaded {Trend.objects.count()} trends and their dependencies.")

        existing = set(Edition.objects.values_list("slug", flat=True))
        for path in sorted((FIXTURES / "editions").glob("*.json")):
            if path.stem in existing:
                self.stdout.write(f"Edition {path.stem} already loaded.")
                continue
            try:
                edition = import_edition(path.read_bytes())
            except EditionError as error:
                raise CommandError(f"{path.name}: " + " ".join(error.problems)) from None
            self.stdout.write(f"Loaded {edition} with {edition.questions.count()} questions.")
