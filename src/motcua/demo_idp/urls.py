"""/demo-idp/: the toolkit's endpoints a relying party needs (authorisation code flow with PKCE,
token, userinfo, keys, discovery, RP-initiated logout), under the toolkit's own namespace which it
reverses, and the provider's sign-in page. None of them answers unless DEMO_IDP is on."""

from django.urls import path, re_path
from oauth2_provider import views as dot

from motcua.demo_idp import views
from motcua.demo_idp.views import demo_only

provider_patterns = [
    path("authorize/", demo_only(views.DemoAuthorizationView.as_view()), name="authorize"),
    path("token/", demo_only(dot.TokenView.as_view()), name="token"),
    path("revoke_token/", demo_only(dot.RevokeTokenView.as_view()), name="revoke-token"),
    re_path(
        r"^\.well-known/openid-configuration/?$",
        demo_only(dot.ConnectDiscoveryInfoView.as_view()),
        name="oidc-connect-discovery-info",
    ),
    path(".well-known/jwks.json", demo_only(dot.JwksInfoView.as_view()), name="jwks-info"),
    path("userinfo/", demo_only(dot.UserInfoView.as_view()), name="user-info"),
    # RP-Initiated Logout: the discovery document names it as end_session_endpoint.
    path("logout/", demo_only(dot.RPInitiatedLogoutView.as_view()), name="rp-initiated-logout"),
]

login_patterns = [
    path("dang-nhap/", views.idp_login, name="login"),
    path("dang-xuat/", views.idp_logout, name="logout"),
]
