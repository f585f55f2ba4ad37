urlpatterns = []  # the staff screens (intake, queues, dossier page, logbook)
