from django.urls import path

from motcua.payments import views

urlpatterns = [
    path("ho-so/<str:code>/", views.start, name="payment-start"),
    path("ket-qua/", views.back, name="payment-return"),
    # The address given to the gateway for its server-to-server notices.
    path("vnpay/ipn/", views.ipn, name="payment-ipn"),
]
