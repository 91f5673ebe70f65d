from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from assessment import data_views, sector_views, views
from assessment.forms import NewPasswordForm, PasswordResetRequestForm, SignInForm
from assessment.throttling import ThrottledPasswordResetView

app_name = "assessment"

urlpatterns = [
    path("", views.home, name="home"),
    path("accessibility/", views.accessibility, name="accessibility"),
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
    path("dashboard/", views.dashboard, name="dashboard"),
    # For admins: every organisation's take-up and scores, and the data behind them.
    path("sector/", sector_views.sector, name="sector"),
    path("sector/data.csv", sector_views.sector_export, name="sector_export"),
    path("assessments/start/<slug:edition_slug>/", views.start, name="start"),
    path("assessments/<int:pk>/", views.task_list, name="task_list"),
    path("assessments/<int:pk>/sections/<slug:trend_slug>/", views.section, name="section"),
    path("assessments/<int:pk>/check/", views.check_answers, name="check_answers"),
    path("assessments/<int:pk>/submit/", views.submit, name="submit"),
    path("assessments/<int:pk>/reopen/", views.reopen, name="reopen"),
    path("assessments/<int:pk>/targets/", views.targets, name="targets"),
    path("assessments/<int:pk>/report/", views.report, name="report"),
    path("assessments/<int:pk>/report.pdf", views.report_download, name="report_pdf"),
    path(
        "assessments/<int:pk>/export/<slug:dataset>.csv",
        data_views.export_csv,
        name="export_csv",
    ),
    path("assessments/<int:pk>/export.xlsx", data_views.export_workbook, name="export_xlsx"),
    path("open-data/", data_views.open_data_index, name="open_data"),
    path(
        "open-data/<slug:edition_slug>.json",
        data_views.open_data_edition,
        name="open_data_edition",
    ),
    path("assessments/<int:pk>/report/peers/", views.peer_group, name="peer_group"),
    path("assessments/<int:pk>/plan/", views.action_plan, name="action_plan"),
    path("assessments/<int:pk>/plan/<slug:key>/", views.track_action, name="track_action"),
    path(
        "assessments/<int:pk>/questions/<slug:key>/history/",
        views.answer_history,
        name="answer_history",
    ),
]
