import pytest

from monitora.conftest import make_report
from monitora.reports import services


@pytest.fixture
def publish(roles, django_capture_on_commit_callbacks):
    """Publish a new report on `project` through the service, running the on-commit hooks
    (search index, follows) as a real commit would."""

    def run(project, **kwargs):
        report = make_report(roles.team, project=project, status="submitted", **kwargs)
        with django_capture_on_commit_callbacks(execute=True):
            services.report_publish(report=report, by=roles.editor, expected_lock_version=report.lock_version)
        report.refresh_from_db()
        return report

    return run
