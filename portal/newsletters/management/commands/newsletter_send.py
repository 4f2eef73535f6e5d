"""Send, or finish sending, a newsletter issue from the command line."""

from django.core.management.base import BaseCommand, CommandError

from portal.newsletters import selectors, services
from portal.newsletters.models import NewsletterIssuePage


class Command(BaseCommand):
    help = (
        "Send an issue to its subscribers in this process, or finish a send that "
        "was interrupted: nobody receives it twice, nobody is missed."
    )

    def add_arguments(self, parser):
        parser.add_argument("page_id", type=int, help="the issue page's id")
        parser.add_argument(
            "--resume",
            action="store_true",
            help="take over deliveries held by a worker that died",
        )

    def handle(self, *args, page_id, resume, **options):
        issue = NewsletterIssuePage.objects.filter(pk=page_id).first()
        if issue is None:
            raise CommandError(f"No newsletter issue with id {page_id}.")
        dispatch = selectors.dispatch_for_issue(issue=issue)
        if dispatch is None:
            try:
                dispatch, _created = services.issue_send(issue=issue, enqueue=False)
            except services.SendError as error:
                raise CommandError(str(error)) from None
        result = services.dispatch_run(dispatch_id=dispatch.pk, resume=resume)
        stats = selectors.dispatch_stats(dispatch=dispatch)
        self.stdout.write(
            f"This run: {result.sent} sent, {result.failed} failed, "
            f"{result.skipped} skipped. Issue: {stats['sent']} sent, "
            f"{stats['failed']} failed, {stats['queued'] + stats['sending']} left."
        )
        if result.stopped:
            self.stderr.write(f"Stopped: {result.stopped}")
