from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

# Printed by `make run` and in the README. Demo accounts exist only where DEBUG is on.
DEMO_ADMIN = ("admin", "admin@example.gov.uk", "demo-admin-password")


class Command(BaseCommand):
    help = "Create the demo sign-ins (development only). Safe to run again: it resets them."

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo creates accounts with published passwords, so it only runs with "
                "DEBUG on. Create real admins with `manage.py createsuperuser`."
            )
        username, email, password = DEMO_ADMIN
        user, _ = get_user_model().objects.get_or_create(
            username=username, defaults={"email": email}
        )
        user.email = email
        user.is_staff = user.is_superuser = user.is_active = True
        user.set_password(password)
        user.save()

        self.stdout.write("Demo sign-ins (development only):")
        self.stdout.write(f"  Admin   {username} / {password}   http://127.0.0.1:8000/admin/")
