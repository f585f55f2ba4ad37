from django.apps import AppConfig
from django.contrib.staticfiles.apps import StaticFilesConfig as BaseStaticFilesConfig


class WebConfig(AppConfig):
    name = "motcua.web"
    label = "web"


class StaticFilesConfig(BaseStaticFilesConfig):
    # ninja ships ReDoc too; we serve Swagger UI only, and compressing ReDoc's 1 MB bundle
    # doubled the time of collectstatic.
    ignore_patterns = [*BaseStaticFilesConfig.ignore_patterns, "redoc*"]
