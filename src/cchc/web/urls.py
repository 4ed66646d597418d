from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from rest_framework.routers import DefaultRouter

from cchc.web import api
from cchc.web.accounts import views as accounts
from cchc.web.documents import views as documents
from cchc.web.outgoing import views as outgoing
from cchc.web.par import views as par
from cchc.web.survey import views as survey  # --- survey ---
from cchc.web.work import views as work
from cchc.web.work import views_flow as flow

router = DefaultRouter()
router.register("units", api.UnitViewSet)
router.register("documents", api.DocumentViewSet)
router.register("tasks", api.TaskViewSet, basename="task")
router.register("proposals", api.ProposalViewSet, basename="proposal")  # incoming (helper A)

admin.site.site_header = "cchc – quản trị"

# Vietnamese error pages in the site's layout (the 405 page: accounts.middleware)
handler400 = "cchc.web.error_pages.bad_request"
handler403 = "cchc.web.error_pages.permission_denied"
handler404 = "cchc.web.error_pages.page_not_found"
handler500 = "cchc.web.error_pages.server_error"

urlpatterns = [
    path("", work.dashboard, name="dashboard"),
    path("dang-nhap/", accounts.LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("van-ban/", documents.registry, name="registry"),
    path("van-ban/nhap/", documents.ingest_page, name="ingest"),
    path("van-ban/nhap/trang-thai/", documents.jobs_status, name="jobs-status"),
    path("van-ban/<int:pk>/", documents.document_page, name="document"),
    path("van-ban/<int:pk>/sua/", documents.edit_document, name="document-edit"),
    path("van-ban/<int:pk>/tep/", documents.original_file, name="document-file"),
    path("van-ban/<int:pk>/trang/<int:number>.png", documents.page_picture, name="document-page"),
    path("tim-kiem/", documents.search_page, name="search"),
    path("cong-viec/", work.board, name="board"),
    path("cong-viec/moi/", work.task_edit, name="task-new"),
    path("cong-viec/<int:pk>/", work.task_page, name="task"),
    path("cong-viec/<int:pk>/cap-nhat/", work.task_update, name="task-update"),
    path("cong-viec/<int:pk>/sua/", work.task_edit, name="task-edit"),
    path("minh-chung/<int:pk>/", work.evidence_file, name="evidence"),
    path("lich/", work.calendar_page, name="calendar"),
    path("lich/feed/<str:token>.ics", work.ics_feed, name="ics-feed"),
    path("lich/don-vi/<int:pk>/doi-dia-chi/", work.rotate_feed, name="feed-rotate"),
    path("don-vi/", accounts.units_page, name="units"),
    path("nhat-ky/", accounts.audit_page, name="audit"),
    path("chi-so/", par.overview, name="par"),
    path("chi-so/bo-tieu-chi/nhap/", par.import_framework, name="par-import"),
    path("chi-so/bo-tieu-chi/<int:pk>/", par.framework_page, name="par-framework"),
    path("chi-so/bo-tieu-chi/<int:pk>/excel/", par.framework_excel, name="par-framework-excel"),
    path("chi-so/danh-gia/mo/", par.open_assessment, name="par-open"),
    path("chi-so/danh-gia/<int:pk>/", par.assessment_page, name="par-assessment"),
    path("chi-so/danh-gia/<int:pk>/ke-hoach/", par.weak_page, name="par-weak"),
    path("chi-so/don-vi/<int:pk>/", par.unit_trend_page, name="par-trend"),
    path("chi-so/bieu-do/<str:kind>.<str:fmt>", par.chart, name="par-chart"),
    path("chi-so/cam-ket/", par.commitments_page, name="par-commitments"),
    path("chi-so/minh-chung/<int:pk>/", par.score_evidence_file, name="par-evidence"),
    path("chi-so/bao-cao/", par.reports_page, name="par-reports"),
    # --- incoming: vào sổ, direction, proposals (helper A) ---
    path("van-ban/den/", flow.incoming_register, name="incoming-register"),
    path("van-ban/cho-chi-dao/", flow.queue, name="direction-queue"),
    path("van-ban/<int:pk>/vao-so/", flow.intake, name="document-intake"),
    path("van-ban/<int:pk>/trinh/", flow.submit, name="document-submit"),
    path("van-ban/<int:pk>/chi-dao/", flow.direct, name="document-direct"),
    path("van-ban/<int:pk>/phieu-giai-quyet.docx", flow.handling_slip, name="handling-slip"),
    # --- work on a task: my work, history, extensions, notifications (helper B) ---
    path("viec-cua-toi/", work.my_work, name="my-work"),
    path("cong-viec/<int:pk>/giao/", work.task_assign, name="task-assign"),
    path("cong-viec/<int:pk>/gia-han/", work.task_extension, name="task-extension"),
    path("gia-han/<int:pk>/duyet/", work.extension_decide, name="extension-decide"),
    path("thong-bao/", work.notifications_page, name="notifications"),
    # --- outgoing: drafts, numbering, issuing, registers (helper C) ---
    path("van-ban-di/", outgoing.drafts, name="outgoing"),
    path("van-ban-di/moi/", outgoing.new_draft, name="outgoing-new"),
    path("van-ban-di/<int:pk>/", outgoing.draft_page, name="outgoing-draft"),
    path("van-ban-di/<int:pk>/ban-moi/", outgoing.add_version, name="outgoing-version"),
    path("van-ban-di/<int:pk>/trinh-ky/", outgoing.submit, name="outgoing-submit"),
    path("van-ban-di/<int:pk>/duyet/", outgoing.review, name="outgoing-review"),
    path("van-ban-di/<int:pk>/cap-so/", outgoing.give_number, name="outgoing-number"),
    path("van-ban-di/<int:pk>/phat-hanh/", outgoing.issue, name="outgoing-issue"),
    path("van-ban-di/<int:pk>/dong-viec/", outgoing.close_tasks, name="outgoing-close"),
    path("van-ban-di/ban/<int:pk>/tep/", outgoing.version_file, name="outgoing-file"),
    path("so/van-ban-di/", outgoing.outgoing_register, name="register-outgoing"),
    path("so/giai-quyet-van-ban-den/", outgoing.tracking_register, name="register-tracking"),
    # --- edxml: attachments of packages, export as edXML ---
    path(
        "van-ban/<int:pk>/dinh-kem/<int:position>/",
        documents.attachment_file,
        name="document-attachment",
    ),
    path("van-ban/<int:pk>/edxml/", documents.export_edxml, name="document-edxml"),
    # --- survey: sociological survey of the PAR INDEX (council pages; public answers by code) ---
    path("chi-so/khao-sat/", survey.rounds_page, name="survey-rounds"),
    path("chi-so/khao-sat/<int:pk>/", survey.round_page, name="survey-round"),
    path("chi-so/khao-sat/<int:pk>/ma/", survey.codes_page, name="survey-codes"),
    path("khao-sat/", survey.start_page, name="survey-start"),
    path("khao-sat/<str:code>/", survey.answer_page, name="survey-answer"),
    path("api/", include(router.urls)),
    path("api/search/", api.search_api, name="api-search"),
    path("api/upload/", api.upload_api, name="api-upload"),
    path("api/jobs/<int:pk>/", api.job_api, name="api-job"),
    path("quan-tri/", admin.site.urls),
]
