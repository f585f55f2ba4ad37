urlpatterns = []  # printable forms (PDF) and the logbook export
