"""The service's addresses, all in the `assessment` namespace."""

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from assessment.forms import NewPasswordForm, PasswordResetRequestForm, SignInForm
from assessment.throttling import ThrottledPasswordResetView
from assessment.views import journey, open_data, reports, sector

app_name = "assessment"

urlpatterns = [
    path("", journey.home, name="home"),
    path("accessibility/", journey.accessibility, name="accessibility"),
    # Signing in and out, and resetting a password: Django's own views, our GOV.UK pages.
    path(
        "sign-in/",
        auth_views.LoginView.as_view(
            template_name="assessment/sign_in.html",
            authentication_form=SignInForm,
            redirect_authenticated_user=True,
        ),
        name="sign_in",
    ),
    path("sign-out/", auth_views.LogoutView.as_view(), name="sign_out"),
    path(
        "password-reset/",
        ThrottledPasswordResetView.as_view(
            form_class=PasswordResetRequestForm,
            template_name="assessment/password_reset.html",
            email_template_name="assessment/email/password_reset.txt",
            subject_template_name="assessment/email/password_reset_subject.txt",
            success_url=reverse_lazy("assessment:password_reset_sent"),
        ),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="assessment/password_reset_sent.html"
        ),
        name="password_reset_sent",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            form_class=NewPasswordForm,
            template_name="assessment/password_reset_confirm.html",
            success_url=reverse_lazy("assessment:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="assessment/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("dashboard/", journey.dashboard, name="dashboard"),
    # For admins: every organisation's take-up and scores, and the data behind them.
    path("sector/", sector.sector, name="sector"),
    path("sector/data.csv", sector.sector_export, name="sector_export"),
    path("assessments/start/<slug:edition_slug>/", journey.start, name="start"),
    path("assessments/<int:pk>/", journey.task_list, name="task_list"),
    path("assessments/<int:pk>/sections/<slug:trend_slug>/", journey.section, name="section"),
    path("assessments/<int:pk>/check/", journey.check_answers, name="check_answers"),
    path("assessments/<int:pk>/submit/", journey.submit, name="submit"),
    path("assessments/<int:pk>/reopen/", journey.reopen, name="reopen"),
    path("assessments/<int:pk>/targets/", journey.targets, name="targets"),
    path("assessments/<int:pk>/report/", reports.report, name="report"),
    # Before the documents, whose slug would otherwise match "peers".
    path("assessments/<int:pk>/report/peers/", reports.peer_group, name="peer_group"),
    path(
        "assessments/<int:pk>/report/<slug:document>/",
        reports.report_document,
        name="report_document",
    ),
    path(
        "assessments/<int:pk>/report/<slug:document>/status/",
        reports.report_document_status,
        name="report_document_status",
    ),
    path(
        "assessments/<int:pk>/export/<slug:dataset>.csv",
        reports.export_csv,
        name="export_csv",
    ),
    path("assessments/<int:pk>/export.xlsx", reports.export_workbook, name="export_xlsx"),
    path("open-data/", open_data.open_data_index, name="open_data"),
    path(
        "open-data/<slug:edition_slug>.json",
        open_data.open_data_edition,
        name="open_data_edition",
    ),
    path("assessments/<int:pk>/plan/", journey.action_plan, name="action_plan"),
    path("assessments/<int:pk>/plan/<slug:key>/", journey.track_action, name="track_action"),
    path(
        "assessments/<int:pk>/questions/<slug:key>/history/",
        journey.answer_history,
        name="answer_history",
    ),
]
