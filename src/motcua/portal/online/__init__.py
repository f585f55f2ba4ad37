"""Online submission: a citizen's application, from draft to the dossier it becomes.

Its own Django app (label "online") so its tables and migrations stand apart from the portal's
sign-in work; the pages live under /cong-dan/ (citizens) and /can-bo/truc-tuyen/ (the desk)."""
