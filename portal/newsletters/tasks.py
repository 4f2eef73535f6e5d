"""Background sending of newsletter issues."""

from django_tasks import task


@task()
def send_dispatch(*, dispatch_id: int, resume: bool = False) -> dict:
    """Send what is left of one dispatch (see ``services.dispatch_run``)."""
    from .services import dispatch_run

    result = dispatch_run(dispatch_id=dispatch_id, resume=resume)
    return {
        "sent": result.sent,
        "failed": result.failed,
        "skipped": result.skipped,
        "stopped": result.stopped,
    }
