from django.core.management.base import BaseCommand

from motcua.worktime.cli import find_unit, parse_instant
from motcua.worktime.core import working_minutes_between
from motcua.worktime.services import calendar_for_unit


class Command(BaseCommand):
    help = "Số phút làm việc giữa hai thời điểm. Print the working minutes between two instants."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", required=True)
        parser.add_argument("--to", dest="end", required=True)
        parser.add_argument("--unit")

    def handle(self, *args, start, end, unit, **options):
        a, b = parse_instant(start, "--from"), parse_instant(end, "--to")
        calendar = calendar_for_unit(find_unit(unit))
        self.stdout.write(str(working_minutes_between(calendar, a, b)))
